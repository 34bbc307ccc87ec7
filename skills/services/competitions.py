"""Competitions, their entrants and results, and the 技术能手 title that follows from them."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.actors import MemberActor, SystemActor
from members.history import attributed
from members.models import Member, Union
from skills.models import Competition, CompetitionEntry, Honour
from skills.services._common import (
    require_member_actor,
    require_named,
    require_staff_write,
    save_new,
    update_listed,
)

TECHNICAL_EXPERT_BODY = "湖州市人力资源和社会保障局、湖州市总工会"

COMPETITION_FIELDS = [
    "name",
    "series",
    "level",
    "occupation",
    "union",
    "sponsor",
    "host",
    "host_union",
    "start_date",
    "end_date",
    "is_merit",
    "key_project",
    "provincial_demo_year",
]


def _check_host_union(union: Union, host_union: Union | None) -> None:
    """A competition counts as hosted by the union that runs it or one under it; a host union
    elsewhere in the city would count a competition where nobody recorded it."""
    if host_union is not None and not host_union.is_within(union):
        raise ValidationError({"host_union": _("承办工会须为组织工会或其下级工会。")})


@transaction.atomic
def competition_create(
    *,
    name: str,
    level: str,
    union: Union,
    start_date: dt.date,
    end_date: dt.date,
    series: str = "",
    occupation: str = "",
    sponsor: str = "",
    host: str = "",
    host_union: Union | None = None,
    is_merit: bool = False,
    key_project: str = "",
    provincial_demo_year: int | None = None,
    by: User | SystemActor,
) -> Competition:
    require_staff_write(by, union)
    require_named(by, host_union)
    _check_host_union(union, host_union)
    competition = Competition(
        name=name.strip(),
        series=series.strip(),
        level=level,
        occupation=occupation.strip(),
        union=union,
        sponsor=sponsor.strip(),
        host=host.strip(),
        host_union=host_union,
        start_date=start_date,
        end_date=end_date,
        is_merit=is_merit,
        key_project=key_project.strip(),
        provincial_demo_year=provincial_demo_year,
    )
    return save_new(competition)


@transaction.atomic
def competition_update(
    *, competition: Competition, data: dict[str, Any], by: User | SystemActor
) -> Competition:
    _check_host_union(
        data.get("union") or competition.union,
        data.get("host_union", competition.host_union),
    )
    return update_listed(instance=competition, fields=COMPETITION_FIELDS, data=data, by=by)


# --- entrants ----------------------------------------------------------------------------------


def _require_member_may_enter(competition: Competition, member: Member) -> None:
    """The competition's own rules; run only once the member is known to be one the actor may
    name, so the messages below never name somebody the actor may not see."""
    if member.status != Member.Status.ACTIVE:
        raise ValidationError({"member": _("%(n)s 已离会，不能报名参赛。") % {"n": member.name}})
    if not member.union.is_within(competition.union):
        raise ValidationError(
            {
                "member": _("%(n)s 不属于“%(u)s”及其下级工会，不能参加这项竞赛。")
                % {"n": member.name, "u": competition.union}
            }
        )


def _enter(competition: Competition, member: Member, **result: Any) -> CompetitionEntry:
    entry = CompetitionEntry(competition=competition, member=member, union=member.union, **result)
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
def competition_enter(
    *, competition: Competition, member: Member, by: MemberActor
) -> CompetitionEntry:
    """A member enters a competition for themselves (the portal, signed in). Open until the
    competition's last day, to competitions run by their union or a union above it."""
    require_member_actor(by)
    if not by.owns(member):
        raise ValidationError(_("只能为本人报名。"))
    _require_member_may_enter(competition, member)
    if competition.end_date < timezone.localdate():
        raise ValidationError(
            _("“%(c)s”已于%(d)s结束，不能再报名。") % {"c": competition, "d": competition.end_date}
        )
    if CompetitionEntry.objects.filter(competition=competition, member=member).exists():
        raise ValidationError(_("%(n)s 已报名“%(c)s”。") % {"n": member.name, "c": competition})
    return _enter(competition, member)


@transaction.atomic
def entry_record(
    *,
    competition: Competition,
    member: Member,
    score: Decimal | None = None,
    award: str = "",
    by: User | SystemActor,
) -> CompetitionEntry:
    """Staff enter a member of their tree in a competition, with (or without yet) a result. A
    competition run above them (a city competition) may be entered from below; a result is the
    organiser's to record. Scope comes first: an entrant or competition the clerk may not name
    is answered like one that does not exist."""
    require_staff_write(by, member.union)
    require_named(by, competition, member)
    has_result = score is not None or bool(award)
    if has_result:
        require_staff_write(by, competition.union)
    _require_member_may_enter(competition, member)
    if CompetitionEntry.objects.filter(competition=competition, member=member).exists():
        raise ValidationError(
            _("%(n)s 已在“%(c)s”的选手名单中，请直接修改其成绩。")
            % {"n": member.name, "c": competition}
        )
    entry = _enter(competition, member, score=score, award=award or "")
    if has_result:
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
def competition_rank(*, competition: Competition, by: User | SystemActor) -> int:
    """Derive every entry's rank from the scores (see `standard_competition_ranks`); entries
    without a score have no rank. Returns the number of ranked entries."""
    require_staff_write(by, competition.union)
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
    by: User | SystemActor,
) -> CompetitionEntry:
    """Record one entrant's score and award (the form's way in); the ranks follow."""
    require_staff_write(by, entry.competition.union)
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
    by: User | SystemActor,
) -> list[Honour]:
    """Name the top `top_n` entrants of a competition 技术能手 in one call. "Top N" means rank ≤ N
    after ranking by score, so entrants tied at the cut-off all qualify. `year` defaults to the
    year the competition ends (the title follows the results). Idempotent: an entrant who already
    holds the title for that year (from this competition or another) is skipped. Returns the
    honours created by this call."""
    require_staff_write(by, competition.union)
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
