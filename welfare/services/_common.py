"""The checks every welfare service makes first: may this actor write here, may it name that."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model

from members.actors import Actor, SystemActor
from members.models import Union
from members.scoping import NOT_IN_SCOPE, Viewer, references, require_in_scope
from members.services import require_can_write
from welfare import rules

ZERO = rules.ZERO

# Who a staff service accepts: a staff user, or the system (a command, a task, the seeder).
StaffActor = User | SystemActor


def require_staff_write(by: Actor | None, union: Union) -> None:
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
