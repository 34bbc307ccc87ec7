"""Shared write machinery: the generic plain-record create/update and their scope checks."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model

from members.actors import SystemActor
from members.models import Enterprise, Member, Union
from members.scoping import NOT_IN_SCOPE, Viewer, references, require_in_scope
from members.services import require_can_write
from welfare import rules

ZERO = rules.ZERO

StaffActor = User | SystemActor


def require_staff_write(by: StaffActor, union: Union) -> None:
    """A staff service's check: the system anywhere; a staff user who may write, within their
    part of the tree; anyone else (a member, nobody) never. The refusal names nothing."""
    if isinstance(by, SystemActor):
        return
    if not isinstance(by, User):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    require_can_write(by)
    require_in_scope(by, union)


def require_named(by: Viewer, obj: Model | None) -> None:
    """`obj` (a member, an enterprise, an event a record names) must be one `by` may name
    (`members.scoping.references`); otherwise refused exactly like a missing id. The API and the
    admin resolve references the same way before a service is called; this holds for every
    other caller (an import, a script)."""
    if obj is None or isinstance(by, SystemActor):
        return
    if not references(type(obj), by).filter(pk=obj.pk).exists():
        raise PermissionDenied(str(NOT_IN_SCOPE))


@transaction.atomic
def record_create(*, model, union: Union, data: dict, by: User | None = None):
    """Create a plain record that belongs to `union` (a station, a job fair, a legal-aid event, a
    contract, ...): scope, full_clean, save. For records with no rule beyond their fields."""
    require_can_write(by)
    require_in_scope(by, union)
    _require_related_in_scope(by, data)
    obj = model(union=union, **data)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def record_update(*, instance, data: dict, by: User | None = None):
    require_can_write(by)
    require_in_scope(by, instance.union)
    if "union" in data:
        require_in_scope(by, data["union"])
    _require_related_in_scope(by, data)
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    instance.save()
    return instance


def _require_related_in_scope(by: User | None, data: dict) -> None:
    """A member or enterprise named on a record must lie in the clerk's tree too."""
    for value in data.values():
        if isinstance(value, Member | Enterprise):
            require_in_scope(by, value.union)
