"""Writes for service stations, recuperation (疗休养), 湖工助业 job fairs and training, legal aid."""

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member
from members.scoping import require_in_scope
from members.services import require_can_write
from welfare.models import (
    RecuperationParticipant,
    RecuperationProgramme,
    StationVisit,
)


@transaction.atomic
def station_visit_record(
    *,
    station,
    visited_on: dt.date,
    member: Member | None = None,
    person_times: int = 1,
    note: str = "",
    by: User | None = None,
) -> StationVisit:
    """A named visit (one member, one person-time) or a counted one (a tally of visitors)."""
    require_can_write(by)
    require_in_scope(by, station.union)
    if member is not None and person_times != 1:
        raise ValidationError({"person_times": _("登记了会员姓名的服务记录只计1人次。")})
    if person_times < 1:
        raise ValidationError({"person_times": _("服务人次至少为1。")})
    if visited_on < station.built_on or (station.closed_on and visited_on > station.closed_on):
        raise ValidationError({"visited_on": _("该日期站点未在运营。")})
    visit = StationVisit(
        station=station, visited_on=visited_on, member=member, person_times=person_times, note=note
    )
    visit.full_clean()
    visit.save()
    return visit


@transaction.atomic
def recuperation_participant_add(
    *, programme: RecuperationProgramme, member: Member, by: User | None = None
) -> RecuperationParticipant:
    require_can_write(by)
    require_in_scope(by, member.union)
    if programme.participants.filter(member=member).exists():
        raise ValidationError(_("%(n)s已在该疗休养名单中。") % {"n": member.name})
    participant = RecuperationParticipant(programme=programme, member=member, union=member.union)
    participant.full_clean()
    participant.save()
    return participant
