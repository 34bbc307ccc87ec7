"""Golden ideas, innovation results and technical problems solved for enterprises."""

import datetime as dt
import hashlib
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.actors import MemberActor, SystemActor
from members.models import Enterprise, Member, Union
from skills.models import (
    CraftsmanVisit,
    GoldenIdea,
    InnovationResult,
    InnovationStudio,
    TechnicalProblem,
)
from skills.services._common import (
    require_member_actor,
    require_named,
    require_staff_write,
    save_new,
    update_listed,
)
from welfare.services.mutual_aid import RECEIPT_MAX_BYTES, receipt_check

RESULT_FIELDS = ["title", "kind", "union", "enterprise", "member", "studio", "idea", "achieved_on"]
PROBLEM_FIELDS = ["title", "enterprise", "union", "solved_on", "solver", "visit", "studio"]

# --- golden ideas ------------------------------------------------------------------------------


def _idea_create(
    member: Member, title: str, content: str, submitted_on: dt.date | None
) -> GoldenIdea:
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
    return save_new(
        GoldenIdea(
            member=member,
            union=member.union,
            title=title,
            content=content,
            submitted_on=submitted_on or timezone.localdate(),
        )
    )


def _idea_photo(upload: Any) -> tuple[bytes, str]:
    """The photo's bytes and type, judged by content with the claim receipts' checker (one
    rule for what a phone may upload); a PDF is a receipt, not a photo."""
    upload.seek(0)
    data = upload.read(RECEIPT_MAX_BYTES + 1)
    try:
        kind = receipt_check(data)
    except ValidationError as exc:
        if exc.code == "type":
            raise ValidationError({"photo": _("照片只能是JPG或PNG格式。")}) from exc
        raise ValidationError({"photo": exc.messages}) from exc
    if kind not in IDEA_PHOTO_TYPES:
        raise ValidationError({"photo": _("照片只能是JPG或PNG格式。")})
    return data, kind


IDEA_PHOTO_TYPES = {"image/jpeg", "image/png"}


@transaction.atomic
def golden_idea_submit(
    *,
    member: Member,
    title: str,
    content: str,
    submitted_on: dt.date | None = None,
    photo: Any = None,
    by: MemberActor,
) -> GoldenIdea:
    """A member submits a 金点子 for themselves (the portal, signed in), with at most one photo."""
    require_member_actor(by)
    if not by.owns(member):
        raise ValidationError(_("只能以本人名义提交金点子。"))
    # Checked before anything is written: a refused photo leaves no idea behind.
    checked = _idea_photo(photo) if photo else None
    idea = _idea_create(member, title, content, submitted_on)
    if checked is not None:
        data, kind = checked
        idea.photo_content_type = kind
        idea.photo_sha256 = hashlib.sha256(data).hexdigest()
        idea.photo.save("photo", ContentFile(data), save=False)
        idea.save(update_fields=["photo", "photo_content_type", "photo_sha256", "updated_at"])
    return idea


@transaction.atomic
def golden_idea_record(
    *,
    member: Member,
    title: str,
    content: str,
    submitted_on: dt.date | None = None,
    by: User | SystemActor,
) -> GoldenIdea:
    """Staff record a member's 金点子 handed in on paper or at a meeting."""
    require_named(by, member)
    require_staff_write(by, member.union)
    return _idea_create(member, title, content, submitted_on)


# Which status may follow which: an idea is judged once, and only an adopted one is implemented.
IDEA_TRANSITIONS: dict[str, set[str]] = {
    GoldenIdea.Status.SUBMITTED: {GoldenIdea.Status.ADOPTED, GoldenIdea.Status.DECLINED},
    GoldenIdea.Status.ADOPTED: {GoldenIdea.Status.IMPLEMENTED},
    GoldenIdea.Status.IMPLEMENTED: set(),
    GoldenIdea.Status.DECLINED: set(),
}


@transaction.atomic
def golden_idea_set_status(*, idea: GoldenIdea, status: str, by: User | SystemActor) -> GoldenIdea:
    require_staff_write(by, idea.union)
    idea = GoldenIdea.objects.select_for_update().get(pk=idea.pk)
    if status not in IDEA_TRANSITIONS[idea.status]:
        raise ValidationError(
            _("金点子当前为“%(s)s”，不能改为“%(t)s”。")
            % {"s": idea.get_status_display(), "t": GoldenIdea.Status(status).label}
        )
    idea.status = status
    idea.save(update_fields=["status", "updated_at"])
    return idea


# --- results and problems ----------------------------------------------------------------------


def _union_of(union: Union | None, *named: Member | Enterprise | None) -> Union:
    """A record names its union, or takes that of the first person or enterprise it names."""
    if union is not None:
        return union
    for obj in named:
        if obj is not None:
            return obj.union
    raise ValidationError({"union": _("请选择所属工会。")})


@transaction.atomic
def result_record(
    *,
    title: str,
    kind: str,
    achieved_on: dt.date,
    union: Union | None = None,
    enterprise: Enterprise | None = None,
    member: Member | None = None,
    studio: InnovationStudio | None = None,
    idea: GoldenIdea | None = None,
    by: User | SystemActor,
) -> InnovationResult:
    require_named(by, union, enterprise, member, studio, idea)
    union = _union_of(union, member, enterprise)
    require_staff_write(by, union)
    return save_new(
        InnovationResult(
            title=title.strip(),
            kind=kind,
            achieved_on=achieved_on,
            union=union,
            enterprise=enterprise,
            member=member,
            studio=studio,
            idea=idea,
        )
    )


@transaction.atomic
def result_update(
    *, result: InnovationResult, data: dict[str, Any], by: User | SystemActor
) -> InnovationResult:
    return update_listed(instance=result, fields=RESULT_FIELDS, data=data, by=by)


@transaction.atomic
def problem_record(
    *,
    title: str,
    enterprise: Enterprise,
    solved_on: dt.date,
    union: Union | None = None,
    solver: str = "",
    visit: CraftsmanVisit | None = None,
    studio: InnovationStudio | None = None,
    by: User | SystemActor,
) -> TechnicalProblem:
    require_named(by, union, enterprise, visit, studio)
    union = _union_of(union, enterprise)
    require_staff_write(by, union)
    return save_new(
        TechnicalProblem(
            title=title.strip(),
            enterprise=enterprise,
            union=union,
            solved_on=solved_on,
            solver=solver.strip(),
            visit=visit,
            studio=studio,
        )
    )


@transaction.atomic
def problem_update(
    *, problem: TechnicalProblem, data: dict[str, Any], by: User | SystemActor
) -> TechnicalProblem:
    return update_listed(instance=problem, fields=PROBLEM_FIELDS, data=data, by=by)
