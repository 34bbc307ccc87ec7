"""Writes for 三访日 leadership visits: record a visit, correct it, and follow each matter raised
at it as a 职工心声 concern (through `concern_record`, so it has the concern's deadline and is
answered like any other)."""

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import model_update
from members.history import attributed
from members.models import Member, Union
from welfare.models import Concern, LeadershipVisit, LeadershipVisitMatter
from welfare.services._common import StaffActor, require_named, require_staff_write
from welfare.services.voice import concern_answer, concern_record

VISIT_FIELDS = [
    "union",
    "leader_name",
    "leader_post",
    "kind",
    "visited_on",
    "place",
    "met",
    "people_met",
    "raised",
    "solved",
]


def _check_date(visited_on: dt.date) -> None:
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("接访走访日期不能晚于今天，请在活动后登记。")})


@attributed
@transaction.atomic
def leadership_visit_record(
    *,
    union: Union,
    leader_name: str,
    leader_post: str,
    kind: str,
    visited_on: dt.date,
    place: str,
    met: str,
    people_met: int = 0,
    raised: str = "",
    solved: str = "",
    by: StaffActor,
) -> LeadershipVisit:
    """Record a 三访日 visit organised by `union` (a union of the clerk's tree)."""
    require_staff_write(by, union)
    _check_date(visited_on)
    visit = LeadershipVisit(
        union=union,
        leader_name=leader_name.strip(),
        leader_post=leader_post.strip(),
        kind=kind,
        visited_on=visited_on,
        place=place.strip(),
        met=met.strip(),
        people_met=people_met,
        raised=raised.strip(),
        solved=solved.strip(),
        recorded_by=by if isinstance(by, User) else None,
    )
    visit.full_clean()
    visit.save()
    return visit


@attributed
@transaction.atomic
def leadership_visit_update(
    *, visit: LeadershipVisit, data: dict[str, Any], by: StaffActor
) -> LeadershipVisit:
    require_staff_write(by, visit.union)
    if data.get("union") is not None:
        require_staff_write(by, data["union"])
    if data.get("visited_on") is not None:
        _check_date(data["visited_on"])
    visit, _changed = model_update(instance=visit, fields=VISIT_FIELDS, data=data)
    return visit


@attributed
@transaction.atomic
def leadership_visit_matter_raise(
    *,
    visit: LeadershipVisit,
    raised_by_name: str,
    subject: str,
    body: str,
    member: Member | None = None,
    contact: str = "",
    answer: str = "",
    by: StaffActor,
) -> Concern:
    """A matter raised at `visit` becomes a 职工心声 concern routed to the visit's union, raised
    on the day of the visit (so its deadline runs from then); `answer` records a matter solved on
    the spot (the concern is answered at once)."""
    require_staff_write(by, visit.union)
    require_named(by, member)
    raised_at = timezone.make_aware(dt.datetime.combine(visit.visited_on, dt.time(12, 0)))
    concern = concern_record(
        union=visit.union,
        raised_by_name=raised_by_name,
        subject=subject,
        body=body,
        channel=Concern.Channel.THREE_VISITS,
        member=member,
        contact=contact,
        raised_at=min(raised_at, timezone.now()),
        by=by,
    )
    LeadershipVisitMatter.objects.create(visit=visit, concern=concern)
    if answer.strip():
        concern = concern_answer(concern=concern, answer=answer, by=by)
    return concern
