"""What every skills service shares: who may write, which references they may name, and saving a
new record with the database's words turned into a clerk's."""

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from common.services import model_update
from members.actors import Actor, MemberActor, SystemActor
from members.models import Union
from members.scoping import NOT_IN_SCOPE, references, require_in_scope
from members.services import require_can_write


def require_staff_write(by: Actor, union: Union) -> None:
    """Staff (not read-only leadership) whose tree holds `union`, or the system."""
    if isinstance(by, SystemActor):
        return
    if not isinstance(by, User):
        raise PermissionDenied(_("此操作只能由工会工作人员进行。"))
    require_can_write(by)
    require_in_scope(by, union)


def require_references(by: Actor, *objs: Model | None) -> None:
    """Every row a caller names must be one they may name (`members.scoping.references`); any
    other is answered exactly like a row that does not exist, naming nothing."""
    if isinstance(by, SystemActor):
        return
    for obj in objs:
        if obj is None:
            continue
        if not references(type(obj), by).filter(pk=obj.pk).exists():
            raise PermissionDenied(str(NOT_IN_SCOPE))


def require_member_actor(by: Actor) -> MemberActor:
    if not isinstance(by, MemberActor):
        raise PermissionDenied(_("此操作只能由会员本人进行。"))
    return by


def save_new(instance: Model) -> Model:
    """Validate and insert a new record; a clash with a unique rule becomes a clerk's message."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(_("与已有记录重复，请核对后再保存。")) from None
    return instance


def update_listed(*, instance: Model, fields: list[str], data: dict, by: Actor) -> Model:
    """Apply `data` to the listed editable `fields` of a record of the actor's tree (every row
    `data` names must be one they may name, a new union included)."""
    require_staff_write(by, instance.union)
    require_references(by, *[v for v in data.values() if isinstance(v, Model)])
    try:
        with transaction.atomic():
            instance, _changed = model_update(instance=instance, fields=fields, data=data)
    except IntegrityError:
        raise ValidationError(_("与已有记录重复，请核对后再保存。")) from None
    return instance
