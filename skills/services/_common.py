"""What every skills service shares: who may write, which references they may name, and saving a
new record with the database's words turned into a clerk's."""

from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from common.services import model_update
from members.actors import Actor, MemberActor
from members.scoping import require_named, require_staff_write

# require_named and require_staff_write are re-exported: every skills service imports its
# guards from here.
__all__ = [
    "require_member_actor",
    "require_named",
    "require_staff_write",
    "save_new",
    "update_listed",
]


def require_member_actor(by: Actor) -> MemberActor:
    if not isinstance(by, MemberActor):
        raise PermissionDenied(_("此操作只能由会员本人进行。"))
    return by


# Any skills record: each has a `union`.
M = TypeVar("M", bound=Model)


def save_new(instance: M) -> M:
    """Validate and insert a new record; a clash with a unique rule becomes a clerk's message."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(_("与已有记录重复，请核对后再保存。")) from None
    return instance


def update_listed(*, instance: M, fields: list[str], data: dict, by: Actor) -> M:
    """Apply `data` to the listed editable `fields` of a record of the actor's tree (every row
    `data` names must be one they may name, a new union included)."""
    require_staff_write(by, instance.union)  # type: ignore[attr-defined]
    require_named(by, *[v for v in data.values() if isinstance(v, Model)])
    try:
        with transaction.atomic():
            instance, _changed = model_update(instance=instance, fields=fields, data=data)
    except IntegrityError:
        raise ValidationError(_("与已有记录重复，请核对后再保存。")) from None
    return instance
