"""会员关系转接: a member's move between unions in two steps (the union left approves, the union joined
accepts, either may refuse), started by the sending union, the member, or the receiving union
by full ID number and name."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import notices
from members import crypto
from members.actors import Actor, MemberActor, staff_user
from members.fields import clean_name
from members.history import attributed
from members.models import (
    Enterprise,
    Member,
    MemberTransfer,
    Union,
)
from members.scoping import require_can_write, require_in_scope
from members.services.registry import _require_member_union
from members.validators import (
    parse_id_number,
)

# The one answer for a full ID number and name that do not name an active member together: the
# same for an unknown number and for a known number with another name, so the receiving union's
# form is no oracle for who is a member where.
NO_SUCH_MEMBER = gettext_lazy("未找到与该公民身份号码和姓名相符的在会会员，请核对后重试。")


@attributed
@transaction.atomic
def transfer_request(
    *,
    member: Member,
    to_union: Union,
    to_enterprise: Enterprise | None = None,
    note: str = "",
    by: Actor,
) -> MemberTransfer:
    """The union the member leaves opens a transfer of its own member (chosen by id). The
    receiving union is any grassroots union of the city (union names are not personal data);
    a union that receives a member from elsewhere uses `transfer_request_incoming`."""
    require_can_write(by)
    require_in_scope(by, member.union)
    return _open_transfer(
        member=member, to_union=to_union, to_enterprise=to_enterprise, note=note, by=by
    )


@attributed
@transaction.atomic
def transfer_request_by_member(
    *, to_union: Union, note: str = "", by: MemberActor
) -> MemberTransfer:
    """The member asks, from the portal, to move their own membership to another grassroots union
    (any of the city: union names are not personal data). It enters the same two steps as a
    clerk's request: their union approves the move out, the receiving union accepts."""
    if not isinstance(by, MemberActor):
        raise PermissionDenied(_("此操作只能由会员本人进行。"))
    return _open_transfer(member=by.member, to_union=to_union, to_enterprise=None, note=note, by=by)


@attributed
@transaction.atomic
def transfer_request_incoming(
    *,
    id_number: str,
    name: str,
    to_union: Union,
    to_enterprise: Enterprise | None = None,
    note: str = "",
    by: Actor,
) -> MemberTransfer:
    """The union a member joins opens the transfer from wherever they are, by the member's full
    ID number and name (the person stands in front of the clerk). An unknown number and a known
    number with another name get the same answer (`NO_SUCH_MEMBER`); the transfer then shows
    the receiving side nothing of the member until the union left approves the move out."""
    require_can_write(by)
    require_in_scope(by, to_union)
    try:
        number = parse_id_number(id_number).number
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    try:
        name = clean_name(name)
    except ValidationError as exc:
        raise ValidationError({"name": exc.messages}) from None
    member = Member.objects.filter(
        id_number_hash=crypto.hash_id_number(number), status=Member.Status.ACTIVE
    ).first()
    if member is None or member.name != name:
        raise ValidationError({"id_number": str(NO_SUCH_MEMBER)})
    return _open_transfer(
        member=member, to_union=to_union, to_enterprise=to_enterprise, note=note, by=by
    )


def _open_transfer(
    *,
    member: Member,
    to_union: Union,
    to_enterprise: Enterprise | None,
    note: str,
    by: Actor,
) -> MemberTransfer:
    _require_member_union(to_union)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("只有在会会员可以办理转接。"))
    if to_union.pk == member.union_id:
        raise ValidationError({"to_union": _("转入工会与当前所属工会相同。")})
    if member.transfers.filter(status__in=MemberTransfer.OPEN_STATES).exists():
        raise ValidationError(_("该会员已有一笔未办结的转接申请。"))
    transfer = MemberTransfer(
        member=member,
        from_union=member.union,
        to_union=to_union,
        from_enterprise=member.enterprise,
        to_enterprise=to_enterprise,
        note=(note or "").strip(),
        requested_by=staff_user(by),
        requested_at=timezone.now(),
    )
    transfer.full_clean()
    transfer.save()
    return transfer


def _lock_transfer(transfer: MemberTransfer, expected: str) -> MemberTransfer:
    transfer = MemberTransfer.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != expected:
        raise ValidationError(
            _("该转接当前状态为“%(s)s”，不能执行此操作。") % {"s": transfer.get_status_display()}
        )
    return transfer


@attributed
@transaction.atomic
def transfer_approve_out(*, transfer: MemberTransfer, by: Actor) -> MemberTransfer:
    """The union the member leaves lets them go."""
    require_can_write(by)
    require_in_scope(by, transfer.from_union)
    transfer = _lock_transfer(transfer, MemberTransfer.Status.PENDING_OUT)
    transfer.status = MemberTransfer.Status.PENDING_IN
    transfer.out_decided_by = staff_user(by)
    transfer.out_decided_at = timezone.now()
    transfer.save()
    notices.tell(
        transfer.member,
        _("%(f)s已同意您的会员关系转出，等待%(t)s接收。")
        % {"f": transfer.from_union, "t": transfer.to_union},
        about="transfer",
        record_id=transfer.pk,
    )
    return transfer


@attributed
@transaction.atomic
def transfer_accept_in(*, transfer: MemberTransfer, by: Actor) -> MemberTransfer:
    """The union the member joins takes them in; the membership moves now."""
    require_can_write(by)
    require_in_scope(by, transfer.to_union)
    # Lock order: transfer, then member (the same order everywhere a transfer changes a member).
    transfer = _lock_transfer(transfer, MemberTransfer.Status.PENDING_IN)
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    member.union = transfer.to_union
    member.enterprise = transfer.to_enterprise
    member.save(update_fields=["union", "enterprise", "updated_at"])
    transfer.status = MemberTransfer.Status.COMPLETED
    transfer.in_decided_by = staff_user(by)
    transfer.in_decided_at = timezone.now()
    transfer.save()
    notices.tell(
        member,
        _("%(t)s已接收您，会员关系转接完成。") % {"t": transfer.to_union},
        about="transfer",
        record_id=transfer.pk,
    )
    return transfer


@attributed
@transaction.atomic
def transfer_refuse(*, transfer: MemberTransfer, reason: str, by: Actor) -> MemberTransfer:
    """Either side says no, with a reason the member and the other union can read."""
    require_can_write(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"refusal_reason": _("请填写不同意的理由。")})
    current = MemberTransfer.objects.get(pk=transfer.pk)
    if current.status == MemberTransfer.Status.PENDING_OUT:
        require_in_scope(by, current.from_union)
        refused, by_field, at_field = (
            MemberTransfer.Status.REFUSED_OUT,
            "out_decided_by",
            "out_decided_at",
        )
    elif current.status == MemberTransfer.Status.PENDING_IN:
        require_in_scope(by, current.to_union)
        refused, by_field, at_field = (
            MemberTransfer.Status.REFUSED_IN,
            "in_decided_by",
            "in_decided_at",
        )
    else:
        raise ValidationError(
            _("该转接当前状态为“%(s)s”，不能执行此操作。") % {"s": current.get_status_display()}
        )
    transfer = _lock_transfer(current, current.status)
    transfer.status = refused
    setattr(transfer, by_field, staff_user(by))
    setattr(transfer, at_field, timezone.now())
    transfer.refusal_reason = reason
    transfer.save()
    notices.tell(
        transfer.member,
        _("您的会员关系转接未获%(u)s同意，理由：%(r)s")
        % {
            "u": transfer.from_union
            if refused == MemberTransfer.Status.REFUSED_OUT
            else transfer.to_union,
            "r": reason[:100],
        },
        about="transfer",
        record_id=transfer.pk,
    )
    return transfer
