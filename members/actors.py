"""Who acts in a service call, as a type, so the scope check follows from it.

- a staff user (a Django `User`, attached to one union through its `StaffProfile`): acts within
  their part of the tree;
- a member (`MemberActor`, signed in to the portal or the member API): acts on their own records;
- the system (`SYSTEM`: a task, a command-line import, the demo seeder): acts anywhere.

There is no `None` actor: "nobody said who" is a bug, not the system.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from django.contrib.auth.models import AnonymousUser, User

if TYPE_CHECKING:
    from members.models import Member


@dataclass(frozen=True)
class SystemActor:
    """The system itself. `reason` names the job (shown in history), e.g. "seed_demo"."""

    reason: str = "system"

    def __str__(self) -> str:
        return f"系统（{self.reason}）"


@dataclass(frozen=True)
class MemberActor:
    """A member acting for themselves. `member` is their active membership row; the person is
    `member.id_number_hash`, so a member who left and rejoined is the same person."""

    member: Member

    @property
    def person(self) -> str:
        return self.member.id_number_hash

    def owns(self, member: Member) -> bool:
        return member.id_number_hash == self.member.id_number_hash

    def __str__(self) -> str:
        return f"会员本人（{self.member.name}）"


SYSTEM = SystemActor()

Actor: TypeAlias = User | AnonymousUser | MemberActor | SystemActor


def staff_user(actor: Actor) -> User | None:
    """The account to record as having acted (`recorded_by`, `reviewer`, ...): the staff user,
    or None for the system and for a member (who has no staff account)."""
    return actor if isinstance(actor, User) else None


def system(reason: str) -> SystemActor:
    return SystemActor(reason=reason)
