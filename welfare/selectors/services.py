"""Reads for service stations, recuperation (疗休养), 湖工助业 job fairs and training, legal aid."""

from django.db.models import (
    Q,
    QuerySet,
)

from common.figures import figure
from members.models import Member, Union
from members.selectors import one_row_per_person
from welfare.models import (
    JobFair,
    LegalAidEvent,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    StationUpgrade,
    StationVisit,
    Trainee,
)
from welfare.selectors._common import MEMBER_COLUMNS, _within, _year_end

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
        _within(union), kind=kind, pk__in=upgrades.values("station_id")
    )


@figure("outdoor_stations_upgraded", columns=STATION_COLUMNS, union_path="union", aggregate="sum")
def outdoor_stations_upgraded(*, year: int, union: Union) -> QuerySet[ServiceStation]:
    """改造提升户外劳动者服务站点: outdoor-worker stations upgraded during `year` (a station
    upgraded twice in a year counts once)."""
    return _upgraded(ServiceStation.Kind.OUTDOOR_WORKER, year=year, union=union)


@figure("mommy_rooms_upgraded", columns=STATION_COLUMNS, union_path="union", aggregate="sum")
def mommy_rooms_upgraded(*, year: int, union: Union) -> QuerySet[ServiceStation]:
    """改造提升“妈咪暖心小屋”: mommy rooms upgraded during `year`."""
    return _upgraded(ServiceStation.Kind.MOMMY_ROOM, year=year, union=union)


@figure("outdoor_stations_total", columns=STATION_COLUMNS, union_path="union", aggregate="sum")
def outdoor_stations_total(*, year: int, union: Union) -> QuerySet[ServiceStation]:
    """户外劳动者服务站点总数: outdoor-worker stations open on 31 December of `year`."""
    end = _year_end(year)
    return ServiceStation.objects.filter(
        _within(union), kind=ServiceStation.Kind.OUTDOOR_WORKER, built_on__lte=end
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
)
def outdoor_station_visits(*, year: int, union: Union) -> QuerySet[StationVisit]:
    """站点服务户外劳动者人次: person-times served by outdoor-worker stations during `year`."""
    return StationVisit.objects.filter(
        _within(union, "station__union"),
        station__kind=ServiceStation.Kind.OUTDOOR_WORKER,
        visited_on__year=year,
    )


def _inclusive_recuperations(*, year: int, union: Union) -> QuerySet[RecuperationParticipant]:
    return RecuperationParticipant.objects.filter(
        _within(union),
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
)
def job_fairs(*, year: int, union: Union) -> QuerySet[JobFair]:
    """“湖工助业”就业招聘活动场次: job fairs held during `year`."""
    return JobFair.objects.filter(_within(union), held_on__year=year)


@figure(
    "reemployment_training",
    columns=[("姓名", "name"), ("培训班", "course__title"), ("开班日期", "course__starts_on")],
    date_field="course__starts_on",
    union_path="course__union",
    aggregate="sum",
)
def reemployment_training(*, year: int, union: Union) -> QuerySet[Trainee]:
    """转岗再就业培训人次: trainees on courses starting in `year` (one person-time per course)."""
    return Trainee.objects.filter(_within(union, "course__union"), course__starts_on__year=year)


@figure(
    "legal_aid_events",
    columns=[*EVENT_COLUMNS, ("服务人次", "person_times")],
    date_field="held_on",
    union_path="union",
    aggregate="sum",
)
def legal_aid_events(*, year: int, union: Union) -> QuerySet[LegalAidEvent]:
    """公益法律活动场次: legal-aid events held during `year`. An online campaign (线上普法) serves
    person-times but is not an event one attends, so it is not a 场次."""
    return LegalAidEvent.objects.filter(_within(union), held_on__year=year).exclude(
        kind=LegalAidEvent.Kind.ONLINE
    )


@figure(
    "legal_aid_person_times",
    total="person_times",
    columns=[*EVENT_COLUMNS, ("服务人次", "person_times")],
    date_field="held_on",
    union_path="union",
    aggregate="sum",
)
def legal_aid_person_times(*, year: int, union: Union) -> QuerySet[LegalAidEvent]:
    """公益法律服务职工人次: person-times served by the legal-aid events of `year`, online
    campaigns included."""
    return LegalAidEvent.objects.filter(_within(union), held_on__year=year)
