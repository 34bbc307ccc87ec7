"""Craftsman academies, innovation studios and their alliances."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from members.actors import SystemActor
from members.models import Enterprise, Member, Union
from skills.models import CraftsmanAcademy, InnovationStudio, StudioAlliance
from skills.services._common import require_named, require_staff_write, save_new, update_listed

ACADEMY_FIELDS = ["name", "level", "union", "host", "established_on", "closed_on"]
ALLIANCE_FIELDS = ["name", "industry_chain", "leader_enterprise", "union", "founded_on"]
STUDIO_FIELDS = [
    "name",
    "kind",
    "level",
    "recognised_year",
    "union",
    "enterprise",
    "leader",
    "alliance",
]


@transaction.atomic
def academy_create(
    *,
    name: str,
    level: str,
    union: Union,
    established_on: dt.date,
    host: str = "",
    closed_on: dt.date | None = None,
    by: User | SystemActor,
) -> CraftsmanAcademy:
    require_named(by, union)
    require_staff_write(by, union)
    return save_new(
        CraftsmanAcademy(
            name=name.strip(),
            level=level,
            union=union,
            host=host.strip(),
            established_on=established_on,
            closed_on=closed_on,
        )
    )


@transaction.atomic
def academy_update(
    *, academy: CraftsmanAcademy, data: dict[str, Any], by: User | SystemActor
) -> CraftsmanAcademy:
    return update_listed(instance=academy, fields=ACADEMY_FIELDS, data=data, by=by)


@transaction.atomic
def alliance_create(
    *,
    name: str,
    industry_chain: str,
    leader_enterprise: Enterprise,
    union: Union,
    founded_on: dt.date,
    by: User | SystemActor,
) -> StudioAlliance:
    require_named(by, union, leader_enterprise)
    require_staff_write(by, union)
    return save_new(
        StudioAlliance(
            name=name.strip(),
            industry_chain=industry_chain.strip(),
            leader_enterprise=leader_enterprise,
            union=union,
            founded_on=founded_on,
        )
    )


@transaction.atomic
def alliance_update(
    *, alliance: StudioAlliance, data: dict[str, Any], by: User | SystemActor
) -> StudioAlliance:
    return update_listed(instance=alliance, fields=ALLIANCE_FIELDS, data=data, by=by)


@transaction.atomic
def studio_create(
    *,
    name: str,
    kind: str,
    level: str,
    recognised_year: int,
    union: Union,
    enterprise: Enterprise | None = None,
    leader: Member | None = None,
    alliance: StudioAlliance | None = None,
    by: User | SystemActor,
) -> InnovationStudio:
    require_named(by, union, enterprise, leader, alliance)
    require_staff_write(by, union)
    return save_new(
        InnovationStudio(
            name=name.strip(),
            kind=kind,
            level=level,
            recognised_year=recognised_year,
            union=union,
            enterprise=enterprise,
            leader=leader,
            alliance=alliance,
        )
    )


@transaction.atomic
def studio_update(
    *, studio: InnovationStudio, data: dict[str, Any], by: User | SystemActor
) -> InnovationStudio:
    return update_listed(instance=studio, fields=STUDIO_FIELDS, data=data, by=by)
