"""Small write helpers every app's services share."""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.db.models import ForeignKey, Model
from django.utils import timezone

M = TypeVar("M", bound=Model)


def model_update(*, instance: M, fields: Iterable[str], data: dict[str, Any]) -> tuple[M, bool]:
    """Set the listed `fields` of `instance` that `data` holds and that differ, validate, and save
    only those columns (and `updated_at` where the model has one).

    Returns (instance, changed). A key of `data` outside `fields` is an error of the caller, not
    something to ignore quietly: each entity's service lists what a person may edit, and a form or
    serializer offering more is a bug. The caller owns the transaction and the entity's rules."""
    fields = list(fields)
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(
            f"{type(instance).__name__}: not editable here: {', '.join(sorted(unknown))}"
        )
    changed = [
        name
        for name in fields
        if name in data and getattr(instance, _attname(instance, name)) != _value(data[name])
    ]
    if not changed:
        return instance, False
    for name in changed:
        setattr(instance, name, data[name])
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        instance.updated_at = timezone.now()  # type: ignore[attr-defined]
        changed.append("updated_at")
    instance.full_clean()
    instance.save(update_fields=changed)
    return instance, True


def _attname(instance: Model, name: str) -> str:
    field = instance._meta.get_field(name)
    return field.attname if isinstance(field, ForeignKey) else name


def _value(value: Any) -> Any:
    # A related object compares by its key, as it is stored.
    return value.pk if isinstance(value, Model) else value
