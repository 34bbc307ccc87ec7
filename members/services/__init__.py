"""Writes to the registry. The admin, the API, the importers and the portal all call these:
keyword-only arguments, one transaction, a ValidationError a person can act on, PermissionDenied
when the acting user's part of the tree does not cover the record.

Every service takes who acts (`by: Actor`, members/actors.py): a staff user (within their subtree),
the system (`system("...")`: a command, the demo seeder), never nobody. A member acting for
themselves goes through the member-facing services of the other apps, not these."""

from members.services.registry import (
    ALLOWED_PARENT_LEVELS,
    ENTERPRISE_EDITABLE,
    MEMBER_EDITABLE,
    enterprise_create,
    enterprise_update,
    member_create,
    member_leave,
    member_phone_change,
    member_update,
    union_create,
    union_update,
)
from members.services.staff import (
    ROLE_RANK,
    can_view_full_id,
    id_number_reveal,
    id_numbers_reveal,
    staff_create,
)
from members.services.transfers import (
    NO_SUCH_MEMBER,
    transfer_accept_in,
    transfer_approve_out,
    transfer_refuse,
    transfer_request,
    transfer_request_by_member,
    transfer_request_incoming,
)

__all__ = [
    "ALLOWED_PARENT_LEVELS",
    "ENTERPRISE_EDITABLE",
    "MEMBER_EDITABLE",
    "NO_SUCH_MEMBER",
    "ROLE_RANK",
    "can_view_full_id",
    "enterprise_create",
    "enterprise_update",
    "id_number_reveal",
    "id_numbers_reveal",
    "member_create",
    "member_leave",
    "member_phone_change",
    "member_update",
    "staff_create",
    "transfer_accept_in",
    "transfer_approve_out",
    "transfer_refuse",
    "transfer_request",
    "transfer_request_by_member",
    "transfer_request_incoming",
    "union_create",
    "union_update",
]
