"""劳模工匠助企行 visits."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from members.actors import SystemActor
from members.models import Enterprise, Union
from skills.models import CraftsmanVisit
from skills.services._common import require_named, require_staff_write, save_new, update_listed

VISIT_FIELDS = ["title", "union", "enterprise", "held_on", "experts"]


@transaction.atomic
def visit_record(
    *,
    title: str,
    union: Union,
    held_on: dt.date,
    enterprise: Enterprise | None = None,
    experts: str = "",
    by: User | SystemActor,
) -> CraftsmanVisit:
    require_named(by, union, enterprise)
    require_staff_write(by, union)
    return save_new(
        CraftsmanVisit(
            title=title.strip(),
            union=union,
            enterprise=enterprise,
            held_on=held_on,
            experts=experts.strip(),
        )
    )


@transaction.atomic
def visit_update(
    *, visit: CraftsmanVisit, data: dict[str, Any], by: User | SystemActor
) -> CraftsmanVisit:
    return update_listed(instance=visit, fields=VISIT_FIELDS, data=data, by=by)
