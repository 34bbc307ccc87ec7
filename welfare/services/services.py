"""Writes for service stations, recuperation (疗休养), 湖工助业 job fairs and training, legal aid.

One service per entity and action. Each `*_update` lists the fields a person may edit and applies
them with `model_update`; the entity's rules hold inside the service on every path (admin, API,
import, script). `by` is a staff user, or the system for a command or the demo."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.services import model_update
from members.actors import MemberActor
from members.models import Enterprise, Member, Union
from members.scoping import NOT_IN_SCOPE
from welfare.models import (
    JobFair,
    JobFairEmployer,
    LegalAidEvent,
    LegalConsultation,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    StationUpgrade,
    StationVisit,
    Trainee,
    TrainingCourse,
)
from welfare.selectors.services import member_recuperation_programmes_open
from welfare.services._common import ZERO, StaffActor, require_named, require_staff_write


def _saved(obj):
    obj.full_clean()
    obj.save()
    return obj


def _move_to(by: StaffActor, data: dict[str, Any]) -> None:
    """An update may move a record to another union, but only within the editor's tree."""
    if data.get("union") is not None:
        require_staff_write(by, data["union"])


# --- stations ------------------------------------------------------------------------------------

STATION_FIELDS = [
    "union",
    "kind",
    "name",
    "address",
    "built_on",
    "closed_on",
    "opening_hours",
    "latitude",
    "longitude",
]


@transaction.atomic
def station_create(
    *,
    union: Union,
    kind: str,
    name: str,
    address: str,
    built_on: dt.date,
    closed_on: dt.date | None = None,
    opening_hours: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    by: StaffActor,
) -> ServiceStation:
    require_staff_write(by, union)
    return _saved(
        ServiceStation(
            union=union,
            kind=kind,
            name=name,
            address=address,
            built_on=built_on,
            closed_on=closed_on,
            opening_hours=(opening_hours or "").strip(),
            latitude=latitude,
            longitude=longitude,
        )
    )


@transaction.atomic
def station_update(
    *, station: ServiceStation, data: dict[str, Any], by: StaffActor
) -> ServiceStation:
    require_staff_write(by, station.union)
    _move_to(by, data)
    station, _changed = model_update(instance=station, fields=STATION_FIELDS, data=data)
    return station


UPGRADE_FIELDS = ["upgraded_on", "description", "cost", "is_livelihood_project"]


@transaction.atomic
def station_upgrade_add(
    *,
    station: ServiceStation,
    upgraded_on: dt.date,
    description: str = "",
    cost: Decimal = ZERO,
    is_livelihood_project: bool = False,
    by: StaffActor,
) -> StationUpgrade:
    """改造提升: one upgrade of a station of the clerk's tree (`is_livelihood_project`: one of the
    省市政府民生实事 projects)."""
    require_staff_write(by, station.union)
    return _saved(
        StationUpgrade(
            station=station,
            upgraded_on=upgraded_on,
            description=description,
            cost=cost,
            is_livelihood_project=is_livelihood_project,
        )
    )


@transaction.atomic
def station_upgrade_update(
    *, upgrade: StationUpgrade, data: dict[str, Any], by: StaffActor
) -> StationUpgrade:
    require_staff_write(by, upgrade.station.union)
    upgrade, _changed = model_update(instance=upgrade, fields=UPGRADE_FIELDS, data=data)
    return upgrade


@transaction.atomic
def station_visit_record(
    *,
    station: ServiceStation,
    visited_on: dt.date,
    member: Member | None = None,
    person_times: int = 1,
    note: str = "",
    by: StaffActor,
) -> StationVisit:
    """A named visit (one member, one person-time) or a counted one (a tally of visitors)."""
    require_staff_write(by, station.union)
    require_named(by, member)
    if member is not None and person_times != 1:
        raise ValidationError({"person_times": _("登记了会员姓名的服务记录只计1人次。")})
    if person_times < 1:
        raise ValidationError({"person_times": _("服务人次至少为1。")})
    if visited_on < station.built_on or (station.closed_on and visited_on > station.closed_on):
        raise ValidationError({"visited_on": _("该日期站点未在运营。")})
    return _saved(
        StationVisit(
            station=station,
            visited_on=visited_on,
            member=member,
            person_times=person_times,
            note=note,
        )
    )


# --- recuperation (疗休养) ---------------------------------------------------------------------

PROGRAMME_FIELDS = ["union", "kind", "name", "destination", "starts_on", "ends_on", "capacity"]


def _check_capacity(capacity: int) -> None:
    if capacity < 1:
        raise ValidationError({"capacity": _("名额至少为1。")})


@transaction.atomic
def recuperation_programme_create(
    *,
    union: Union,
    kind: str,
    name: str,
    destination: str,
    starts_on: dt.date,
    ends_on: dt.date,
    capacity: int,
    by: StaffActor,
) -> RecuperationProgramme:
    require_staff_write(by, union)
    _check_capacity(capacity)
    return _saved(
        RecuperationProgramme(
            union=union,
            kind=kind,
            name=name,
            destination=destination,
            starts_on=starts_on,
            ends_on=ends_on,
            capacity=capacity,
        )
    )


def _lock_programme(programme: RecuperationProgramme) -> RecuperationProgramme:
    # Adding a participant and changing the capacity both lock the programme row first, so two
    # clerks adding the last place at once are served one after the other: the second counts the
    # first's participant and is refused.
    return RecuperationProgramme.objects.select_for_update().get(pk=programme.pk)


@transaction.atomic
def recuperation_programme_update(
    *, programme: RecuperationProgramme, data: dict[str, Any], by: StaffActor
) -> RecuperationProgramme:
    require_staff_write(by, programme.union)
    _move_to(by, data)
    programme = _lock_programme(programme)
    if "capacity" in data:
        _check_capacity(data["capacity"])
        taken = programme.participants.count()
        if data["capacity"] < taken:
            raise ValidationError(
                {"capacity": _("已有%(n)d人参加，名额不能少于%(n)d。") % {"n": taken}}
            )
    programme, _changed = model_update(instance=programme, fields=PROGRAMME_FIELDS, data=data)
    return programme


@transaction.atomic
def recuperation_participant_add(
    *, programme: RecuperationProgramme, member: Member, by: StaffActor
) -> RecuperationParticipant:
    """Put a member of the clerk's tree on a programme organised within or above it, while it
    has places left (名额)."""
    require_staff_write(by, member.union)
    require_named(by, member)
    require_named(by, programme)
    return _participant_add(programme=programme, member=member)


def _participant_add(
    *, programme: RecuperationProgramme, member: Member
) -> RecuperationParticipant:
    programme = _lock_programme(programme)
    if programme.participants.filter(member__id_number_hash=member.id_number_hash).exists():
        raise ValidationError(_("%(n)s已在该疗休养名单中。") % {"n": member.name})
    if programme.participants.count() >= programme.capacity:
        raise ValidationError(_("该疗休养项目名额（%(c)d人）已满。") % {"c": programme.capacity})
    return _saved(RecuperationParticipant(programme=programme, member=member, union=member.union))


@transaction.atomic
def recuperation_sign_up(
    *, programme: RecuperationProgramme, by: MemberActor
) -> RecuperationParticipant:
    """The member signs themselves up (报名), first come first served while places last. The
    programme row lock of `_participant_add` serialises concurrent sign-ups: the one that comes
    second counts the first's place and is refused when the last place is gone."""
    if not isinstance(by, MemberActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    member = by.member
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("您当前不在会，不能报名疗休养。"))
    if (
        not member_recuperation_programmes_open(member=member, on=timezone.localdate())
        .filter(pk=programme.pk)
        .exists()
    ):
        # Not organised for the member's union, or already started: the same answer either way.
        raise ValidationError(_("该疗休养项目不在您可报名的范围内，或已开始。"))
    return _participant_add(programme=programme, member=member)


# --- 湖工助业: job fairs and re-employment training ----------------------------------------------

JOB_FAIR_FIELDS = [
    "union",
    "title",
    "held_on",
    "place",
    "online",
    "attendance",
    "sign_up_open",
    "capacity",
]


def _check_fair_capacity(capacity: int | None) -> None:
    if capacity is not None and capacity < 1:
        raise ValidationError({"capacity": _("报名名额至少为1；不限人数请留空。")})


@transaction.atomic
def job_fair_create(
    *,
    union: Union,
    title: str,
    held_on: dt.date,
    place: str = "",
    online: bool = False,
    attendance: int = 0,
    sign_up_open: bool = True,
    capacity: int | None = None,
    by: StaffActor,
) -> JobFair:
    require_staff_write(by, union)
    _check_fair_capacity(capacity)
    return _saved(
        JobFair(
            union=union,
            title=title,
            held_on=held_on,
            place=place,
            online=online,
            attendance=attendance,
            sign_up_open=sign_up_open,
            capacity=capacity,
        )
    )


@transaction.atomic
def job_fair_update(*, fair: JobFair, data: dict[str, Any], by: StaffActor) -> JobFair:
    require_staff_write(by, fair.union)
    _move_to(by, data)
    # The same row lock as a member's sign-up: places cannot shrink under one being taken.
    fair = JobFair.objects.select_for_update().get(pk=fair.pk)
    if data.get("capacity") is not None:
        _check_fair_capacity(data["capacity"])
        taken = fair.sign_ups.count()
        if data["capacity"] < taken:
            raise ValidationError(
                {"capacity": _("已有%(n)d人报名，名额不能少于%(n)d。") % {"n": taken}}
            )
    fair, _changed = model_update(instance=fair, fields=JOB_FAIR_FIELDS, data=data)
    return fair


EMPLOYER_FIELDS = ["enterprise", "name", "positions"]


@transaction.atomic
def job_fair_employer_add(
    *,
    fair: JobFair,
    name: str = "",
    enterprise: Enterprise | None = None,
    positions: int = 0,
    by: StaffActor,
) -> JobFairEmployer:
    """An employer at a fair: an enterprise of the clerk's tree, or one named only (from
    elsewhere, or not on the register)."""
    require_staff_write(by, fair.union)
    require_named(by, enterprise)
    name = (name or (enterprise.name if enterprise else "")).strip()
    return _saved(JobFairEmployer(fair=fair, enterprise=enterprise, name=name, positions=positions))


@transaction.atomic
def job_fair_employer_update(
    *, employer: JobFairEmployer, data: dict[str, Any], by: StaffActor
) -> JobFairEmployer:
    require_staff_write(by, employer.fair.union)
    require_named(by, data.get("enterprise"))
    employer, _changed = model_update(instance=employer, fields=EMPLOYER_FIELDS, data=data)
    return employer


COURSE_FIELDS = ["union", "title", "trade", "starts_on", "ends_on"]


@transaction.atomic
def training_course_create(
    *,
    union: Union,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    trade: str = "",
    by: StaffActor,
) -> TrainingCourse:
    require_staff_write(by, union)
    return _saved(
        TrainingCourse(union=union, title=title, trade=trade, starts_on=starts_on, ends_on=ends_on)
    )


@transaction.atomic
def training_course_update(
    *, course: TrainingCourse, data: dict[str, Any], by: StaffActor
) -> TrainingCourse:
    require_staff_write(by, course.union)
    _move_to(by, data)
    course, _changed = model_update(instance=course, fields=COURSE_FIELDS, data=data)
    return course


@transaction.atomic
def trainee_add(
    *,
    course: TrainingCourse,
    member: Member | None = None,
    name: str = "",
    completed: bool = False,
    by: StaffActor,
) -> Trainee:
    """A trainee (one person-time of the figure): a member of the clerk's tree, or a job seeker
    named only."""
    require_staff_write(by, course.union)
    require_named(by, member)
    name = (name or (member.name if member else "")).strip()
    if not name:
        raise ValidationError({"name": _("请填写学员姓名或选择会员。")})
    return _saved(Trainee(course=course, member=member, name=name, completed=completed))


@transaction.atomic
def training_sign_up(*, course: TrainingCourse, by: MemberActor) -> Trainee:
    """The member signs themselves up for a course open to them (organised in their district or
    above it, not yet started). The course row is locked so a double tap makes one row."""
    from welfare.selectors.services import member_training_courses_open

    if not isinstance(by, MemberActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    member = by.member
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("您当前不在会，不能在线报名培训。"))
    if (
        not member_training_courses_open(member=member, on=timezone.localdate())
        .filter(pk=course.pk)
        .exists()
    ):
        raise ValidationError(_("该培训班不在您可报名的范围内，或已开班。"))
    course = TrainingCourse.objects.select_for_update().get(pk=course.pk)
    if course.trainees.filter(member__id_number_hash=member.id_number_hash).exists():
        raise ValidationError(_("您已报名“%(c)s”。") % {"c": course.title})
    return _saved(Trainee(course=course, member=member, name=member.name))


TRAINEE_FIELDS = ["member", "name", "completed"]


@transaction.atomic
def trainee_update(*, trainee: Trainee, data: dict[str, Any], by: StaffActor) -> Trainee:
    require_staff_write(by, trainee.course.union)
    require_named(by, data.get("member"))
    trainee, _changed = model_update(instance=trainee, fields=TRAINEE_FIELDS, data=data)
    return trainee


# --- legal aid -----------------------------------------------------------------------------------

LEGAL_EVENT_FIELDS = ["union", "kind", "title", "held_on", "person_times"]


@transaction.atomic
def legal_aid_event_create(
    *,
    union: Union,
    kind: str,
    title: str,
    held_on: dt.date,
    person_times: int = 0,
    by: StaffActor,
) -> LegalAidEvent:
    require_staff_write(by, union)
    return _saved(
        LegalAidEvent(
            union=union, kind=kind, title=title, held_on=held_on, person_times=person_times
        )
    )


@transaction.atomic
def legal_aid_event_update(
    *, event: LegalAidEvent, data: dict[str, Any], by: StaffActor
) -> LegalAidEvent:
    require_staff_write(by, event.union)
    _move_to(by, data)
    event, _changed = model_update(instance=event, fields=LEGAL_EVENT_FIELDS, data=data)
    return event


@transaction.atomic
def legal_consultation_ask(*, topic: str, question: str, by: MemberActor) -> LegalConsultation:
    """A member asks their own union a legal question from the portal; the union's lawyer
    answers it in the admin (`legal_consultation_update`: advice, lawyer)."""
    if not isinstance(by, MemberActor):
        raise PermissionDenied(str(NOT_IN_SCOPE))
    member = Member.objects.select_for_update().get(pk=by.member.pk)
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(_("您当前不在会，请拨打12351职工服务热线咨询。"))
    topic, question = (topic or "").strip(), (question or "").strip()
    if not topic:
        raise ValidationError({"topic": _("请用一句话写明咨询的事由，如“拖欠工资”。")})
    if len(question) < 10:
        raise ValidationError({"question": _("请把情况写清楚一些（至少10个字），律师才好解答。")})
    # The member row lock serialises double taps; a flood of questions is refused kindly.
    today = timezone.localdate()
    if (
        LegalConsultation.objects.filter(
            member__id_number_hash=member.id_number_hash, asked_on=today
        ).count()
        >= 5
    ):
        raise ValidationError(_("您今天已提交5个咨询，请等待律师解答或拨打12351职工服务热线。"))
    return _saved(
        LegalConsultation(
            union=member.union, member=member, asked_on=today, topic=topic, question=question
        )
    )


CONSULTATION_FIELDS = ["union", "event", "member", "asked_on", "topic", "advice", "lawyer"]


@transaction.atomic
def legal_consultation_create(
    *,
    union: Union,
    asked_on: dt.date,
    topic: str,
    event: LegalAidEvent | None = None,
    member: Member | None = None,
    advice: str = "",
    lawyer: str = "",
    by: StaffActor,
) -> LegalConsultation:
    require_staff_write(by, union)
    require_named(by, event)
    require_named(by, member)
    return _saved(
        LegalConsultation(
            union=union,
            event=event,
            member=member,
            asked_on=asked_on,
            topic=topic,
            advice=advice,
            lawyer=lawyer,
        )
    )


@transaction.atomic
def legal_consultation_update(
    *, consultation: LegalConsultation, data: dict[str, Any], by: StaffActor
) -> LegalConsultation:
    require_staff_write(by, consultation.union)
    _move_to(by, data)
    require_named(by, data.get("event"))
    require_named(by, data.get("member"))
    consultation, _changed = model_update(
        instance=consultation, fields=CONSULTATION_FIELDS, data=data
    )
    return consultation
