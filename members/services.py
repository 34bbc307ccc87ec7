"""Writes to the registry. The admin, the API, the importers and the portal all call these:
keyword-only arguments, one transaction, a ValidationError a person can act on, PermissionDenied
when the acting user's part of the tree does not cover the record.

Every service takes who acts (`by: Actor`, members/actors.py): a staff user (within their subtree),
the system (`system("...")`: a command, the demo seeder), never nobody. A member acting for
themselves goes through the member-facing services of the other apps, not these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import notices
from common.services import model_update
from members import crypto
from members.actors import Actor, MemberActor, SystemActor, staff_user
from members.fields import check_joined_on, clean_name
from members.history import attributed
from members.models import (
    Enterprise,
    IdNumberAccess,
    Member,
    MemberTransfer,
    StaffProfile,
    Union,
)
from members.roles import ensure_role_groups
from members.scoping import NOT_IN_SCOPE, in_scope, require_can_write, require_in_scope
from members.validators import (
    mask_id_number,
    normalize_credit_code,
    normalize_mobile,
    parse_id_number,
)

# Which level may sit directly under which: the city over districts, districts over townships,
# and grassroots unions under any of them (some enterprises report to a district directly).
ALLOWED_PARENT_LEVELS: dict[str, set[str]] = {
    Union.Level.CITY: set(),
    Union.Level.DISTRICT: {Union.Level.CITY},
    Union.Level.TOWNSHIP: {Union.Level.DISTRICT},
    Union.Level.GRASSROOTS: {Union.Level.CITY, Union.Level.DISTRICT, Union.Level.TOWNSHIP},
}


# --- unions and enterprises --------------------------------------------------------------------


@transaction.atomic
def union_create(
    *,
    code: str,
    name: str,
    level: str,
    parent: Union | None = None,
    is_joint: bool = False,
    by: Actor,
) -> Union:
    require_can_write(by)
    code = (code or "").strip()
    if parent is None and level != Union.Level.CITY:
        raise ValidationError({"parent": _("除市总工会外，每个工会都要有上级工会。")})
    if parent is not None:
        require_in_scope(by, parent)
        if parent.level not in ALLOWED_PARENT_LEVELS[level]:
            raise ValidationError(
                {
                    "parent": _("%(level)s不能挂在%(parent_level)s之下。")
                    % {
                        "level": Union.Level(level).label,
                        "parent_level": parent.get_level_display(),
                    }
                }
            )
    elif not (isinstance(by, SystemActor) or getattr(by, "is_superuser", False)):
        raise PermissionDenied(_("只有系统管理员可以建立市总工会。"))
    if "/" in code:
        raise ValidationError({"code": _("工会编码不能含有“/”。")})
    union = Union(
        code=code,
        name=name.strip(),
        level=level,
        parent=parent,
        is_joint=is_joint,
        path=f"{parent.path if parent else ''}{code}/",
    )
    union.full_clean()
    union.save()
    return union


@transaction.atomic
def union_update(*, union: Union, name: str, is_joint: bool, by: Actor) -> Union:
    """Rename a union or mark it joint. Its code and place in the tree are fixed: they key the
    materialised paths and every roster that names it."""
    require_can_write(by)
    require_in_scope(by, union)
    union.name = name.strip()
    union.is_joint = is_joint
    union.full_clean()
    union.save(update_fields=["name", "is_joint", "updated_at"])
    return union


@transaction.atomic
def enterprise_create(
    *,
    name: str,
    credit_code: str,
    union: Union,
    industry: str = "",
    above_designated_size: bool = False,
    is_state_owned: bool = False,
    by: Actor,
) -> Enterprise:
    require_can_write(by)
    require_in_scope(by, union)
    try:
        code = normalize_credit_code(credit_code)
    except ValidationError as exc:
        raise ValidationError({"credit_code": exc.messages}) from None
    if Enterprise.objects.filter(credit_code=code).exists():
        raise ValidationError({"credit_code": _("统一社会信用代码 %(c)s 已登记。") % {"c": code}})
    enterprise = Enterprise(
        name=name.strip(),
        credit_code=code,
        union=union,
        industry=industry,
        above_designated_size=above_designated_size,
        is_state_owned=is_state_owned,
    )
    enterprise.full_clean()
    enterprise.save()
    return enterprise


ENTERPRISE_EDITABLE = {
    "name",
    "industry",
    "above_designated_size",
    "is_state_owned",
    "reform_pilot_year",
    "union",
}


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, data: dict, by: Actor) -> Enterprise:
    require_can_write(by)
    require_in_scope(by, enterprise.union)
    unknown = set(data) - ENTERPRISE_EDITABLE
    if unknown:
        raise ValidationError(_("不能修改这些字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    if "union" in data:
        require_in_scope(by, data["union"])
    if "name" in data:
        data = {**data, "name": (data["name"] or "").strip()}
    enterprise, _changed = model_update(
        instance=enterprise, fields=sorted(ENTERPRISE_EDITABLE), data=data
    )
    return enterprise


# --- members -----------------------------------------------------------------------------------


def _require_member_union(union: Union) -> None:
    if union.level != Union.Level.GRASSROOTS:
        raise ValidationError(
            {
                "union": _("会员须加入基层工会（含联合工会），“%(u)s”是%(level)s。")
                % {"u": union, "level": union.get_level_display()}
            }
        )


def _require_enterprise_in_scope(by: Actor, enterprise: Enterprise | None) -> None:
    # The answer for an enterprise outside the tree names nothing, exactly like a missing one.
    if enterprise is not None:
        try:
            require_in_scope(by, enterprise.union)
        except PermissionDenied:
            raise ValidationError({"enterprise": str(NOT_IN_SCOPE)}) from None


@attributed
@transaction.atomic
def member_create(
    *,
    id_number: str,
    name: str,
    union: Union,
    phone: str = "",
    enterprise: Enterprise | None = None,
    employment_form: str = Member.EmploymentForm.STANDARD,
    joined_on: dt.date | None = None,
    by: Actor,
) -> Member:
    """Enrol a person. Gender and birth date come from the ID number, never typed twice."""
    require_can_write(by)
    require_in_scope(by, union)
    _require_member_union(union)
    _require_enterprise_in_scope(by, enterprise)
    errors: dict[str, list[str]] = {}
    facts = None
    try:
        facts = parse_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    try:
        name = clean_name(name)
    except ValidationError as exc:
        errors["name"] = exc.messages
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    joined_on = joined_on or timezone.localdate()
    if facts is not None:
        try:
            check_joined_on(joined_on, facts.birth_date)
        except ValidationError as exc:
            errors["joined_on"] = exc.messages
    if errors:
        raise ValidationError(errors)
    assert facts is not None  # no errors, so the number parsed
    id_hash = crypto.hash_id_number(facts.number)
    existing = Member.objects.filter(id_number_hash=id_hash, status=Member.Status.ACTIVE).first()
    if existing is not None:
        raise ValidationError({"id_number": _active_elsewhere_message(existing, by)})
    member = Member(
        name=name,
        id_number_encrypted=crypto.encrypt_id_number(facts.number),
        id_number_hash=id_hash,
        id_number_masked=mask_id_number(facts.number),
        gender=facts.gender,
        birth_date=facts.birth_date,
        phone=phone,
        union=union,
        enterprise=enterprise,
        employment_form=employment_form,
        employment_form_at_joining=employment_form,
        joined_on=joined_on,
    )
    member.full_clean(exclude=["id_number_hash"])
    try:
        # The partial unique index is the real guard: two clerks enrolling the same person at once.
        with transaction.atomic():
            member.save()
    except IntegrityError:
        raise ValidationError({"id_number": _("该公民身份号码已有在会会籍。")}) from None
    return member


def _active_elsewhere_message(existing: Member, by: Actor) -> str:
    if in_scope(by, existing.union):
        return _("该公民身份号码已在“%(u)s”在会，如需变更请办理会员关系转接。") % {
            "u": existing.union
        }
    # Outside the clerk's tree: say that the person is a member, not where (PIPL: need to know).
    return _("该公民身份号码已在其他工会在会，请联系其所在工会办理会员关系转接。")


MEMBER_EDITABLE = {"name", "phone", "enterprise", "employment_form", "joined_on"}


@attributed
@transaction.atomic
def member_update(*, member: Member, data: dict, by: Actor) -> Member:
    """Change a member's details. The union changes only by transfer; the ID number never."""
    require_can_write(by)
    require_in_scope(by, member.union)
    unknown = set(data) - MEMBER_EDITABLE
    if unknown:
        raise ValidationError(
            _("不能直接修改这些字段：%(f)s。") % {"f": "、".join(sorted(unknown))}
        )
    errors: dict[str, list[str]] = {}
    if "name" in data:
        try:
            data["name"] = clean_name(data["name"])
        except ValidationError as exc:
            errors["name"] = exc.messages
    if "phone" in data:
        try:
            data["phone"] = normalize_mobile(data["phone"])
        except ValidationError as exc:
            errors["phone"] = exc.messages
    if "joined_on" in data:
        try:
            check_joined_on(data["joined_on"], member.birth_date)
        except ValidationError as exc:
            errors["joined_on"] = exc.messages
    if "enterprise" in data and data["enterprise"] != member.enterprise:
        try:
            _require_enterprise_in_scope(by, data["enterprise"])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    member, _changed = model_update(instance=member, fields=sorted(MEMBER_EDITABLE), data=data)
    return member


@attributed
@transaction.atomic
def member_phone_change(*, member: Member, phone: str, by: MemberActor | SystemActor) -> Member:
    """A member records their new mobile number themselves (the portal, after proving the new
    number by SMS code and themselves by name and full ID number). Their own record only."""
    if isinstance(by, MemberActor):
        if not by.owns(member):
            raise PermissionDenied(str(NOT_IN_SCOPE))
    elif not isinstance(by, SystemActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("该会籍已不在会，不能修改手机号。"))
    try:
        number = normalize_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from None
    member, _changed = model_update(instance=member, fields=["phone"], data={"phone": number})
    return member


@attributed
@transaction.atomic
def member_leave(*, member: Member, left_on: dt.date, by: Actor) -> Member:
    require_can_write(by)
    require_in_scope(by, member.union)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("该会员已离会。"))
    if left_on < member.joined_on:
        raise ValidationError({"left_on": _("离会日期不能早于入会日期。")})
    if member.transfers.filter(status__in=MemberTransfer.OPEN_STATES).exists():
        raise ValidationError(_("该会员有未办结的转接申请，请先处理转接。"))
    member.status = Member.Status.LEFT
    member.left_on = left_on
    member.save(update_fields=["status", "left_on", "updated_at"])
    return member


# --- transfers (会员关系转接) -------------------------------------------------------------------


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


# --- staff and the full ID number --------------------------------------------------------------


# Roles by how much of the tree they may change; leadership reads only, so it ranks below all.
ROLE_RANK = {
    StaffProfile.Role.CITY_ADMIN: 4,
    StaffProfile.Role.DISTRICT_ADMIN: 3,
    StaffProfile.Role.TOWNSHIP_ADMIN: 2,
    StaffProfile.Role.GRASSROOTS_ADMIN: 1,
    StaffProfile.Role.LEADERSHIP: 0,
}


@transaction.atomic
def staff_create(
    *,
    username: str,
    password: str | None,
    union: Union,
    role: str,
    phone: str = "",
    name: str = "",
    groups: dict | None = None,
) -> User:
    """A staff account in `union` with `role`'s group. `password=None` leaves it unusable: the
    person sets one through the SMS reset (members.password_reset) to `phone`. A bulk caller
    passes `groups` (ensure_role_groups(), once) rather than refreshing them per account."""
    if role not in StaffProfile.Role.values:
        raise ValidationError(
            _("未知角色“%(r)s”，可选：%(options)s。")
            % {"r": role, "options": ", ".join(StaffProfile.Role.values)}
        )
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("用户名“%(u)s”已存在。") % {"u": username})
    groups = groups or ensure_role_groups()
    user = User(username=username, is_staff=True, first_name=name)
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    StaffProfile.objects.create(user=user, union=union, role=role, phone=phone)
    user.groups.set([groups[role]])
    return user


def can_view_full_id(viewer: User | None) -> bool:
    return (
        viewer is not None
        and viewer.is_authenticated
        and viewer.has_perm("members.reveal_id_number")
    )


@transaction.atomic
def id_numbers_reveal(*, members: Iterable[Member], viewer: User, channel: str) -> dict[int, str]:
    """The full ID numbers of `members`, for a viewer with the explicit permission; each one shown
    is recorded (who, whose, when, where). Raises PermissionDenied for anyone else."""
    if not can_view_full_id(viewer):
        raise PermissionDenied(_("您没有查看完整公民身份号码的权限。"))
    members = list(members)
    for member in members:
        require_in_scope(viewer, member.union)
    # A de-identified member's number is gone (retention): nothing to show, nothing to log.
    shown = [m for m in members if m.id_number_encrypted]
    IdNumberAccess.objects.bulk_create(
        [IdNumberAccess(user=viewer, member=m, channel=channel) for m in shown], batch_size=1000
    )
    return {
        m.pk: crypto.decrypt_id_number(m.id_number_encrypted) if m.id_number_encrypted else ""
        for m in members
    }


def id_number_reveal(*, member: Member, viewer: User, channel: str) -> str:
    return id_numbers_reveal(members=[member], viewer=viewer, channel=channel)[member.pk]
