"""Staff accounts and the full ID number: creating staff with a role no higher than the creator's,
and revealing full numbers only to the permitted role, each reveal recorded."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import crypto
from members.models import (
    IdNumberAccess,
    Member,
    StaffProfile,
    Union,
)
from members.roles import ensure_role_groups
from members.scoping import require_in_scope

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
