"""Reads for service stations, recuperation (疗休养), 湖工助业 job fairs and training, legal aid."""

import datetime as dt
import re

from django.db.models import (
    Q,
    QuerySet,
)
from django.utils import timezone

from common.figures import figure
from members.models import Member, Union
from members.scoping import within_q
from members.selectors import one_row_per_person
from welfare.models import (
    JobFair,
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
from welfare.selectors._common import MEMBER_COLUMNS, _year_end

STATION_COLUMNS = [
    ("站点", "name"),
    ("地址", "address"),
    ("所属工会", "union__name"),
    ("建成日期", "built_on"),
]


EVENT_COLUMNS = [("活动", "title"), ("主办工会", "union__name"), ("日期", "held_on")]


def _upgraded(kind: str, *, year: int, union: Union) -> QuerySet[ServiceStation]:
    upgrades = StationUpgrade.objects.filter(upgraded_on__year=year)
    return ServiceStation.objects.filter(
        within_q(union), kind=kind, pk__in=upgrades.values("station_id")
    )


@figure(
    "outdoor_stations_upgraded",
    columns=STATION_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计改造提升户外劳动者服务站点数：当年完成改造提升的户外劳动者服务站点，"
        "按站点去重（同一站点当年改造两次只计1个），按站点所属工会归属。统计期间"
        "：当年（按改造日期）。"
    ),
)
def outdoor_stations_upgraded(*, year: int, union: Union) -> QuerySet[ServiceStation]:
    """改造提升户外劳动者服务站点: outdoor-worker stations upgraded during `year` (a station
    upgraded twice in a year counts once)."""
    return _upgraded(ServiceStation.Kind.OUTDOOR_WORKER, year=year, union=union)


@figure(
    "mommy_rooms_upgraded",
    columns=STATION_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计改造提升“妈咪暖心小屋”数：当年完成改造提升的妈咪暖心小屋，按小屋去"
        "重，按所属工会归属。统计期间：当年（按改造日期）。"
    ),
)
def mommy_rooms_upgraded(*, year: int, union: Union) -> QuerySet[ServiceStation]:
    """改造提升“妈咪暖心小屋”: mommy rooms upgraded during `year`."""
    return _upgraded(ServiceStation.Kind.MOMMY_ROOM, year=year, union=union)


@figure(
    "outdoor_stations_total",
    columns=STATION_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计户外劳动者服务站点总数：建成日期不晚于当年12月31日、且当日未关闭"
        "的户外劳动者服务站点，每个计1个，按站点所属工会归属。统计时点：当年12"
        "月31日（存量）。"
    ),
)
def outdoor_stations_total(*, year: int, union: Union) -> QuerySet[ServiceStation]:
    """户外劳动者服务站点总数: outdoor-worker stations open on 31 December of `year`."""
    end = _year_end(year)
    return ServiceStation.objects.filter(
        within_q(union), kind=ServiceStation.Kind.OUTDOOR_WORKER, built_on__lte=end
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))


@figure(
    "outdoor_station_visits",
    total="person_times",
    columns=[
        ("站点", "station__name"),
        ("日期", "visited_on"),
        ("会员", "member__name"),
        ("人次", "person_times"),
    ],
    date_field="visited_on",
    union_path="station__union",
    aggregate="sum",
    definition=(
        "统计户外劳动者服务站点服务人次：户外劳动者服务站点的服务登记记录的人次相"
        "加，不去重（同一人多次到站分别计入），按站点所属工会归属。统计期间：指标"
        "设置了“累计起始日期”的，自该日起至当年12月31日累计（成绩单“累计服"
        "务”口径）；未设置的，为当年1月1日至12月31日（按服务日期）。"
    ),
)
def outdoor_station_visits(*, year: int, union: Union) -> QuerySet[StationVisit]:
    """站点服务户外劳动者人次: person-times served by outdoor-worker stations during `year`."""
    return StationVisit.objects.filter(
        within_q(union, "station__union"),
        station__kind=ServiceStation.Kind.OUTDOOR_WORKER,
        visited_on__year=year,
    )


def _inclusive_recuperations(*, year: int, union: Union) -> QuerySet[RecuperationParticipant]:
    return RecuperationParticipant.objects.filter(
        within_q(union),
        programme__kind=RecuperationProgramme.Kind.INCLUSIVE,
        programme__starts_on__year=year,
    )


def _inclusive_recuperations_reach(*, year: int, union: Union) -> QuerySet:
    return _inclusive_recuperations(year=year, union=union).values_list(
        "union", "member__id_number_hash"
    )


@figure(
    "recuperation_participants",
    columns=MEMBER_COLUMNS,
    union_path="recuperations__union",
    aggregate="distinct_persons",
    definition=(
        "统计普惠性疗休养职工人数：参加当年开始的普惠性疗休养项目的职工，按公民身"
        "份号码去重（同一人参加两次或有两条会籍只计1人），计入组织疗休养的工会。"
        "统计期间：当年（按项目开始日期）。"
    ),
    reach=_inclusive_recuperations_reach,
)
def recuperation_participants(*, year: int, union: Union) -> QuerySet[Member]:
    """普惠性疗休养职工人数 (persons): workers of the union's tree on an inclusive recuperation
    programme starting in `year`; a worker who went twice, or under two memberships, counts once."""
    went = _inclusive_recuperations(year=year, union=union)
    return one_row_per_person(Member.objects.filter(pk__in=went.values("member_id")))


@figure(
    "job_fairs",
    columns=[*EVENT_COLUMNS, ("入场人次", "attendance")],
    date_field="held_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计“湖工助业”就业招聘活动场次：当年举办的招聘活动，每场计1场，按组织"
        "工会归属。统计期间：当年（按举办日期）。"
    ),
)
def job_fairs(*, year: int, union: Union) -> QuerySet[JobFair]:
    """“湖工助业”就业招聘活动场次: job fairs held during `year`."""
    return JobFair.objects.filter(within_q(union), held_on__year=year)


@figure(
    "reemployment_training",
    columns=[("姓名", "name"), ("培训班", "course__title"), ("开班日期", "course__starts_on")],
    date_field="course__starts_on",
    union_path="course__union",
    aggregate="sum",
    definition=(
        "统计转岗再就业培训人次：当年开班的转岗再就业培训班的学员记录，一人参加两"
        "个班计2人次，不去重，按开班工会归属。统计期间：当年（按开班日期）。"
    ),
)
def reemployment_training(*, year: int, union: Union) -> QuerySet[Trainee]:
    """转岗再就业培训人次: trainees on courses starting in `year` (one person-time per course)."""
    return Trainee.objects.filter(within_q(union, "course__union"), course__starts_on__year=year)


@figure(
    "legal_aid_events",
    columns=[*EVENT_COLUMNS, ("服务人次", "person_times")],
    date_field="held_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计公益法律活动场次：当年举办的公益法律服务活动（线上普法宣传不计为场次"
        "），每场计1场，按组织工会归属。统计期间：当年（按举办日期）。"
    ),
)
def legal_aid_events(*, year: int, union: Union) -> QuerySet[LegalAidEvent]:
    """公益法律活动场次: legal-aid events held during `year`. An online campaign (线上普法) serves
    person-times but is not an event one attends, so it is not a 场次."""
    return LegalAidEvent.objects.filter(within_q(union), held_on__year=year).exclude(
        kind=LegalAidEvent.Kind.ONLINE
    )


@figure(
    "legal_aid_person_times",
    total="person_times",
    columns=[*EVENT_COLUMNS, ("服务人次", "person_times")],
    date_field="held_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计公益法律服务职工人次：当年各场公益法律服务活动（含线上普法）服务人次"
        "相加，不去重，按组织工会归属。统计期间：当年（按举办日期）。"
    ),
)
def legal_aid_person_times(*, year: int, union: Union) -> QuerySet[LegalAidEvent]:
    """公益法律服务职工人次: person-times served by the legal-aid events of `year`, online
    campaigns included."""
    return LegalAidEvent.objects.filter(within_q(union), held_on__year=year)


# --- member-facing reads (the portal) ----------------------------------------------------------


def member_recuperation_programmes_open(
    *, member: Member, on: dt.date
) -> QuerySet[RecuperationProgramme]:
    """Programmes a member may sign up for on `on`: organised by their union or one above it
    (a programme reaches every union below its organiser), not yet started."""
    ancestors = [p for p in _path_prefixes(member.union.path)]
    return RecuperationProgramme.objects.filter(
        union__path__in=ancestors, starts_on__gt=on
    ).order_by("starts_on", "pk")


def _path_prefixes(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    lead = "/" if path.startswith("/") else ""
    trail = "/" if path.endswith("/") else ""
    return [lead + "/".join(parts[:i]) + trail for i in range(1, len(parts) + 1)]


def _member_district_q(member: Member) -> Q:
    """Rows organised in the member's district (区县, any union within it) or above it (the
    city): what a worker thinks of as "near me" for fairs and courses."""
    ancestors = _path_prefixes(member.union.path)
    q = Q(union__path__in=ancestors)
    district = (
        Union.objects.filter(path__in=ancestors, level=Union.Level.DISTRICT)
        .order_by("path")
        .first()
    )
    if district is not None:
        q |= within_q(district)
    return q


def member_job_fairs_upcoming(*, member: Member, on: dt.date) -> QuerySet[JobFair]:
    """Job fairs (湖工助业) from `on` on, in the member's district or city-wide, soonest first."""
    return (
        JobFair.objects.filter(_member_district_q(member), held_on__gte=on)
        .select_related("union")
        .prefetch_related("employers")
        .order_by("held_on", "pk")
    )


def member_training_courses_open(*, member: Member, on: dt.date) -> QuerySet[TrainingCourse]:
    """Training courses a member may sign up for on `on`: in their district or city-wide, not
    yet started."""
    return (
        TrainingCourse.objects.filter(_member_district_q(member), starts_on__gt=on)
        .select_related("union")
        .order_by("starts_on", "pk")
    )


def member_training_sign_ups(*, member: Member) -> QuerySet[Trainee]:
    """The person's places on training courses (any membership of theirs), newest first."""
    return (
        Trainee.objects.filter(member__id_number_hash=member.id_number_hash)
        .select_related("course")
        .order_by("-course__starts_on", "-pk")
    )


def member_legal_consultations(*, member: Member) -> QuerySet[LegalConsultation]:
    """The person's own legal questions and the answers, newest first."""
    return LegalConsultation.objects.filter(member__id_number_hash=member.id_number_hash).order_by(
        "-asked_on", "-pk"
    )


def member_recuperation_sign_ups(*, member: Member) -> QuerySet[RecuperationParticipant]:
    """The person's places on programmes (any membership of theirs), newest first."""
    return (
        RecuperationParticipant.objects.filter(member__id_number_hash=member.id_number_hash)
        .select_related("programme")
        .order_by("-programme__starts_on")
    )


def opening_segments(hours: str) -> list[tuple[dt.time, dt.time | None]]:
    """ "07:00-11:00,14:00-20:00" → [(07:00, 11:00), (14:00, 20:00)]; "24:00" as an end is the
    end of the day (None). Unreadable segments are skipped: the text is still shown as written."""
    segments = []
    for part in re.split(r"[,，;；、\s]+", hours or ""):
        match = re.fullmatch(r"(\d{1,2}):(\d{2})[-–~至](\d{1,2}):(\d{2})", part.strip())
        if not match:
            continue
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59:
            continue
        end = None if (h2, m2) == (24, 0) else dt.time(h2, m2)
        segments.append((dt.time(h1, m1), end))
    return segments


def station_open_at(station: ServiceStation, moment: dt.datetime) -> bool | None:
    """Whether the station is open at `moment` (local time); None if its hours are not given
    in a form we can read (the page then shows the text and no open/closed badge)."""
    segments = opening_segments(station.opening_hours)
    if not segments:
        return None
    now = timezone.localtime(moment).time()
    for start, end in segments:
        if end is None or start < end:
            if start <= now and (end is None or now < end):
                return True
        elif now >= start or now < end:  # over midnight, e.g. 20:00-02:00
            return True
    return False


def stations_near_me(*, district: Union | None = None) -> QuerySet[ServiceStation]:
    """Stations a worker can walk into (户外劳动者服务站点, 妈咪暖心小屋), still in service,
    in a district if given. Public information: addresses of public service points."""
    qs = ServiceStation.objects.filter(
        kind__in=[ServiceStation.Kind.OUTDOOR_WORKER, ServiceStation.Kind.MOMMY_ROOM],
        closed_on__isnull=True,
    ).select_related("union")
    if district is not None:
        qs = qs.filter(within_q(district))
    return qs.order_by("union__path", "name")
