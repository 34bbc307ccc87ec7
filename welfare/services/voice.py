"""Writes for the workers' voice (职工心声 → 回声)."""

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common import notices
from members.actors import MemberActor
from members.models import Member, Union
from members.scoping import NOT_IN_SCOPE
from welfare.models import (
    Concern,
)
from welfare.services._common import StaffActor, require_named, require_staff_write

# 职工心声: staff answer within this many days of the concern being raised.


CONCERN_ANSWER_DAYS = 7


# --- the workers' voice (职工心声 → 回声) ------------------------------------------------------


def _concern_due(raised_at: dt.datetime) -> dt.datetime:
    return raised_at + dt.timedelta(days=CONCERN_ANSWER_DAYS)


@transaction.atomic
def concern_raise(*, by: MemberActor, subject: str, body: str, contact: str = "") -> Concern:
    """A member raises a concern from the portal, as themselves; it goes to their own union."""
    if not isinstance(by, MemberActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    member = by.member
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("您已离会，请联系原工会。"))
    now = timezone.now()
    concern = Concern(
        member=member,
        raised_by_name=member.name,
        contact=(contact or member.phone).strip(),
        channel=Concern.Channel.PORTAL,
        union=member.union,
        subject=subject.strip(),
        body=body.strip(),
        raised_at=now,
        due_at=_concern_due(now),
    )
    concern.full_clean()
    concern.save()
    return concern


@transaction.atomic
def concern_record(
    *,
    union: Union,
    raised_by_name: str,
    subject: str,
    body: str,
    channel: str = Concern.Channel.THREE_VISITS,
    member: Member | None = None,
    contact: str = "",
    raised_at: dt.datetime | None = None,
    by: StaffActor,
) -> Concern:
    """Staff record a concern heard at a 三访日 visit (or by phone) and route it to `union`."""
    require_staff_write(by, union)
    require_named(by, member)
    raised_at = raised_at or timezone.now()
    concern = Concern(
        member=member,
        raised_by_name=raised_by_name.strip(),
        contact=contact.strip(),
        channel=channel,
        union=union,
        subject=subject.strip(),
        body=body.strip(),
        raised_at=raised_at,
        due_at=_concern_due(raised_at),
        recorded_by=by if isinstance(by, User) else None,
    )
    concern.full_clean()
    concern.save()
    return concern


@transaction.atomic
def concern_route(*, concern: Concern, union: Union, by: StaffActor) -> Concern:
    """Send a concern to the union that can act on it (within the sender's tree); the deadline
    does not move."""
    require_staff_write(by, concern.union)
    require_staff_write(by, union)
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status != Concern.Status.OPEN:
        raise ValidationError(_("该心声已答复，不能再转办。"))
    concern.union = union
    concern.save(update_fields=["union", "updated_at"])
    return concern


@transaction.atomic
def concern_answer(*, concern: Concern, answer: str, by: StaffActor) -> Concern:
    require_staff_write(by, concern.union)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("请填写答复内容。")})
    concern = Concern.objects.select_for_update().get(pk=concern.pk)
    if concern.status != Concern.Status.OPEN:
        raise ValidationError(_("该心声已于%(t)s答复。") % {"t": concern.answered_at})
    concern.answer = answer
    concern.status = Concern.Status.ANSWERED
    concern.answered_at = timezone.now()
    concern.answered_by = by if isinstance(by, User) else None
    concern.save(update_fields=["answer", "status", "answered_at", "answered_by", "updated_at"])
    if concern.member is not None:
        notices.tell(
            concern.member,
            _("您反映的“%(s)s”已有答复，请查看。") % {"s": concern.subject[:30]},
            about="concern",
            record_id=concern.pk,
        )
    return concern
