"""Writes to the skills records. The admin, the API, the importers and the portal all call these:
keyword-only arguments, one transaction, a ValidationError a clerk can act on, PermissionDenied
when the acting user's part of the tree does not cover the record. `by=None` is the system (or
the member portal acting for a signed-in member)."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.history import attributed
from members.models import Enterprise, Member, Union
from members.scoping import require_in_scope
from members.services import require_can_write
from skills.models import (
    Competition,
    CompetitionEntry,
    GoldenIdea,
    Honour,
    SkillCertification,
    SkillSession,
)

TECHNICAL_EXPERT_BODY = "湖州市人力资源和社会保障局、湖州市总工会"


# Any skills record: each has a `union` (see _derive_union).
RecordT = TypeVar("RecordT", bound=models.Model)

# --- plain records -----------------------------------------------------------------------------


def _derive_union(instance: Any) -> None:
    """A record about a member is counted under the member's union; one about an enterprise under
    the enterprise's union; fixed when first recorded."""
    if getattr(instance, "union_id", None) is not None:
        return
    member = getattr(instance, "member", None)
    enterprise = getattr(instance, "enterprise", None)
    if member is not None:
        instance.union = member.union
    elif enterprise is not None:
        instance.union = enterprise.union


@transaction.atomic
def record_save(*, instance: RecordT, by: User | None = None) -> RecordT:
    """Create or change a plain skills record (academy, studio, alliance, visit, result, problem,
    competition, honour, ...). The record's union must lie in the clerk's tree, before and after
    the change; so must any member or enterprise it names."""
    require_can_write(by)
    _derive_union(instance)
    if instance.pk:
        model: Any = type(instance)
        before = model.objects.select_related("union").get(pk=instance.pk)
        require_in_scope(by, before.union)
    if getattr(instance, "union_id", None) is None:
        # Say what else is wrong too (e.g. a personal title without its person), not only this.
        errors: dict[str, list[str]] = {}
        try:
            instance.full_clean(exclude=["union"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if not errors:  # a record naming its member or enterprise takes their union
            errors["union"] = [_("请选择所属工会。")]
        raise ValidationError(errors)
    require_in_scope(by, getattr(instance, "union"))  # noqa: B009 - every skills record has one
    for name in ("member", "enterprise", "leader", "leader_enterprise"):
        related = getattr(instance, name, None)
        if isinstance(related, Member | Enterprise):
            require_in_scope(by, related.union)
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(_("与已有记录重复，请核对后再保存。")) from None
    return instance


# --- competitions and entries ------------------------------------------------------------------


def _require_member_may_enter(competition: Competition, member: Member) -> None:
    if member.status != Member.Status.ACTIVE:
        raise ValidationError({"member": _("%(n)s 已离会，不能报名参赛。") % {"n": member.name}})
    if not member.union.is_within(competition.union):
        raise ValidationError(
            {
                "member": _("%(n)s 不属于“%(u)s”及其下级工会，不能参加这项竞赛。")
                % {"n": member.name, "u": competition.union}
            }
        )


@transaction.atomic
def competition_enter(
    *, competition: Competition, member: Member, by: User | None = None
) -> CompetitionEntry:
    """A member enters a competition (the portal calls this for the signed-in member; staff may
    enter a member of their tree). Open until the competition's last day."""
    require_can_write(by)
    require_in_scope(by, member.union)
    _require_member_may_enter(competition, member)
    if competition.end_date < timezone.localdate():
        raise ValidationError(
            _("“%(c)s”已于%(d)s结束，不能再报名。") % {"c": competition, "d": competition.end_date}
        )
    if CompetitionEntry.objects.filter(competition=competition, member=member).exists():
        raise ValidationError(_("%(n)s 已报名“%(c)s”。") % {"n": member.name, "c": competition})
    entry = CompetitionEntry(competition=competition, member=member, union=member.union)
    entry.full_clean(validate_constraints=False)
    try:
        # The unique constraint is the real guard: a double tap on the portal's button.
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError(
            _("%(n)s 已报名“%(c)s”。") % {"n": member.name, "c": competition}
        ) from None
    return entry


@transaction.atomic
def entry_record(
    *,
    competition: Competition,
    member: Member,
    score: Decimal | None = None,
    award: str = "",
    by: User | None = None,
) -> CompetitionEntry:
    """Staff record an entrant with (or without yet) a result, e.g. from the results sheet of a
    competition that is over; the ranks follow."""
    require_can_write(by)
    require_in_scope(by, competition.union)
    _require_member_may_enter(competition, member)
    if CompetitionEntry.objects.filter(competition=competition, member=member).exists():
        raise ValidationError(
            _("%(n)s 已在“%(c)s”的选手名单中，请直接修改其成绩。")
            % {"n": member.name, "c": competition}
        )
    entry = CompetitionEntry(
        competition=competition, member=member, union=member.union, score=score, award=award
    )
    entry.full_clean(validate_constraints=False)
    entry.save()
    competition_rank(competition=competition, by=by)
    entry.refresh_from_db(fields=["rank"])
    return entry


def standard_competition_ranks(scores: Iterable[Decimal]) -> list[int]:
    """Ranks for scores sorted best first, by standard competition ranking ("1224"): equal scores
    share a rank and the next rank skips as many places as were shared (100, 100, 90 → 1, 1, 3).
    A higher score is better."""
    ranks: list[int] = []
    previous = None
    for position, score in enumerate(scores, start=1):
        if score != previous:
            rank = position
            previous = score
        ranks.append(rank)
    return ranks


@transaction.atomic
def competition_rank(*, competition: Competition, by: User | None = None) -> int:
    """Derive every entry's rank from the scores (see `standard_competition_ranks`); entries
    without a score have no rank. Returns the number of ranked entries."""
    require_can_write(by)
    require_in_scope(by, competition.union)
    # Lock the competition: ranking and awarding on one competition never interleave.
    Competition.objects.select_for_update().get(pk=competition.pk)
    entries = list(
        CompetitionEntry.objects.filter(competition=competition).order_by(
            models.F("score").desc(nulls_last=True), "id"
        )
    )
    scored = [e for e in entries if e.score is not None]
    changed = []
    for entry, rank in zip(
        scored,
        standard_competition_ranks(e.score for e in scored if e.score is not None),
        strict=True,
    ):
        if entry.rank != rank:
            entry.rank = rank
            changed.append(entry)
    for entry in entries[len(scored) :]:
        if entry.rank is not None:
            entry.rank = None
            changed.append(entry)
    if changed:
        CompetitionEntry.objects.bulk_update(changed, ["rank"], batch_size=1000)
    return len(scored)


@transaction.atomic
def entry_set_result(
    *,
    entry: CompetitionEntry,
    score: Decimal | None,
    award: str = "",
    by: User | None = None,
) -> CompetitionEntry:
    """Record one entrant's score and award (the form's way in); the ranks follow."""
    require_can_write(by)
    require_in_scope(by, entry.competition.union)
    entry.score = score
    entry.award = award or ""
    entry.full_clean(validate_constraints=False)
    entry.save(update_fields=["score", "award", "updated_at"])
    competition_rank(competition=entry.competition, by=by)
    entry.refresh_from_db(fields=["rank"])
    return entry


@attributed
@transaction.atomic
def technical_experts_award(
    *,
    competition: Competition,
    top_n: int,
    year: int | None = None,
    awarding_body: str = TECHNICAL_EXPERT_BODY,
    by: User | None = None,
) -> list[Honour]:
    """Name the top `top_n` entrants of a competition 技术能手 in one call. "Top N" means rank ≤ N
    after ranking by score, so entrants tied at the cut-off all qualify. `year` defaults to the
    year the competition ends (the title follows the results). Idempotent: an entrant who already
    holds the title for that year (from this competition or another) is skipped. Returns the
    honours created by this call."""
    require_can_write(by)
    require_in_scope(by, competition.union)
    if top_n < 1:
        raise ValidationError({"top_n": _("授予人数至少为1。")})
    year = year or competition.end_date.year
    competition_rank(competition=competition, by=by)  # also locks the competition
    entries = list(
        CompetitionEntry.objects.filter(competition=competition, rank__lte=top_n)
        .select_related("member")
        .order_by("rank", "id")
    )
    if not entries:
        raise ValidationError(_("“%(c)s”还没有成绩，不能授予技术能手。") % {"c": competition})
    holders = set(
        Honour.objects.filter(
            kind=Honour.Kind.TECHNICAL_EXPERT,
            year=year,
            member_id__in=[e.member_id for e in entries],
        ).values_list("member_id", flat=True)
    )
    new = [
        Honour(
            kind=Honour.Kind.TECHNICAL_EXPERT,
            year=year,
            awarding_body=awarding_body,
            member=e.member,
            enterprise=e.member.enterprise,
            union=e.union,
            competition=competition,
        )
        for e in entries
        if e.member_id not in holders
    ]
    # ignore_conflicts: another competition may name the same person at the same moment; the
    # unique constraint keeps one title, and we report only what this call created.
    Honour.objects.bulk_create(new, ignore_conflicts=True)
    return list(
        Honour.objects.filter(
            kind=Honour.Kind.TECHNICAL_EXPERT,
            year=year,
            competition=competition,
            member_id__in=[h.member_id for h in new],
        )
    )


# --- honours -----------------------------------------------------------------------------------


@attributed
@transaction.atomic
def honour_award(
    *,
    kind: str,
    year: int,
    awarding_body: str,
    member: Member | None = None,
    collective_name: str = "",
    enterprise: Enterprise | None = None,
    union: Union | None = None,
    competition: Competition | None = None,
    by: User | None = None,
) -> Honour:
    """Record a title or honour to a person (`member`) or a collective (`collective_name`, with
    its `enterprise` or `union`)."""
    if member is not None and Honour.objects.filter(kind=kind, member=member, year=year).exists():
        raise ValidationError(
            _("%(n)s 已获得%(y)d年度“%(k)s”称号。")
            % {"n": member.name, "y": year, "k": Honour.Kind(kind).label}
        )
    honour = Honour(
        kind=kind,
        year=year,
        awarding_body=awarding_body.strip(),
        member=member,
        collective_name=collective_name.strip(),
        enterprise=enterprise or (member.enterprise if member else None),
        # A person's title counts under their union, whatever the caller names.
        union=member.union if member is not None else union,
        competition=competition,
    )
    return record_save(instance=honour, by=by)


# --- talents, training and drills --------------------------------------------------------------


@transaction.atomic
def skill_certification_register(
    *,
    member: Member,
    level: str,
    occupation: str,
    certified_on: dt.date,
    certificate_no: str = "",
    by: User | None = None,
) -> SkillCertification:
    if certified_on > timezone.localdate():
        raise ValidationError({"certified_on": _("取证日期不能晚于今天。")})
    if SkillCertification.objects.filter(
        member=member, occupation=occupation.strip(), level=level
    ).exists():
        raise ValidationError(
            _("%(n)s 已登记%(o)s%(l)s。")
            % {
                "n": member.name,
                "o": occupation,
                "l": SkillCertification.Level(level).label,
            }
        )
    cert = SkillCertification(
        member=member,
        level=level,
        occupation=occupation.strip(),
        certified_on=certified_on,
        certificate_no=certificate_no.strip(),
    )
    return record_save(instance=cert, by=by)


@transaction.atomic
def skill_session_record(
    *,
    kind: str,
    title: str,
    union: Union,
    held_on: dt.date,
    headcount: int | None = None,
    participants: Iterable[Member] | None = None,
    enterprise: Enterprise | None = None,
    occupation: str = "",
    by: User | None = None,
) -> SkillSession:
    """Record a training session or a job drill. With a participant list the headcount is its
    number of distinct members (the list is the evidence); without one, the headcount given."""
    people = list({m.pk: m for m in participants or []}.values())
    if people:
        for person in people:
            require_in_scope(by, person.union)
        headcount = len(people)
    if not headcount or headcount < 1:
        raise ValidationError({"headcount": _("请填写参加人次，或登记参加会员。")})
    session = SkillSession(
        kind=kind,
        title=title.strip(),
        union=union,
        held_on=held_on,
        headcount=headcount,
        enterprise=enterprise,
        occupation=occupation.strip(),
    )
    record_save(instance=session, by=by)
    if people:
        session.participants.set(people)
    return session


# --- golden ideas ------------------------------------------------------------------------------


@transaction.atomic
def golden_idea_submit(
    *,
    member: Member,
    title: str,
    content: str,
    submitted_on: dt.date | None = None,
    by: User | None = None,
) -> GoldenIdea:
    """A member submits a 金点子 (the portal calls this for the signed-in member)."""
    require_can_write(by)
    require_in_scope(by, member.union)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("%(n)s 已离会，不能提交金点子。") % {"n": member.name})
    title, content = (title or "").strip(), (content or "").strip()
    errors = {}
    if not title:
        errors["title"] = _("请填写金点子的题目。")
    if not content:
        errors["content"] = _("请写明金点子的内容。")
    if errors:
        raise ValidationError(errors)
    idea = GoldenIdea(
        member=member,
        union=member.union,
        title=title,
        content=content,
        submitted_on=submitted_on or timezone.localdate(),
    )
    idea.full_clean()
    idea.save()
    return idea


# Which status may follow which: an idea is judged once, and only an adopted one is implemented.
IDEA_TRANSITIONS: dict[str, set[str]] = {
    GoldenIdea.Status.SUBMITTED: {GoldenIdea.Status.ADOPTED, GoldenIdea.Status.DECLINED},
    GoldenIdea.Status.ADOPTED: {GoldenIdea.Status.IMPLEMENTED},
    GoldenIdea.Status.IMPLEMENTED: set(),
    GoldenIdea.Status.DECLINED: set(),
}


@transaction.atomic
def golden_idea_set_status(*, idea: GoldenIdea, status: str, by: User | None = None) -> GoldenIdea:
    require_can_write(by)
    require_in_scope(by, idea.union)
    idea = GoldenIdea.objects.select_for_update().get(pk=idea.pk)
    if status not in IDEA_TRANSITIONS[idea.status]:
        raise ValidationError(
            _("金点子当前为“%(s)s”，不能改为“%(t)s”。")
            % {"s": idea.get_status_display(), "t": GoldenIdea.Status(status).label}
        )
    idea.status = status
    idea.save(update_fields=["status", "updated_at"])
    return idea
