"""Reads for activities. Lists take the viewer (the tree scope cannot be forgotten); the figures
take a year and a union: activities *organised* by that union or any union under it, held (by
their start, in Huzhou time) within that calendar year."""

import datetime as dt

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityKind,
    ActivityReach,
    Attendance,
    CulturePosition,
    SharedCultureCentre,
)
from common.figures import figure
from members.models import Enterprise, Union
from members.scoping import Viewer, scope_queryset, within_q


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[1 January 00:00, next 1 January 00:00) in the project's time zone (Asia/Shanghai): an
    activity at 23:30 on 31 December belongs to that year, though in UTC it is still the 31st
    and one at 00:30 on 1 January is the 31st in UTC yet belongs to the next year."""
    tz = timezone.get_default_timezone()
    return (
        dt.datetime(year, 1, 1, tzinfo=tz),
        dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )


def with_person_times(qs: QuerySet[Activity]) -> QuerySet[Activity]:
    """Annotate `named_count` (members named at the activity, each once by constraint) and
    `person_times` (人次) = named_count + headcount (the unnamed audience), kept apart."""
    named = (
        Attendance.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return qs.annotate(
        named_count=Coalesce(Subquery(named, output_field=IntegerField()), Value(0))
    ).annotate(person_times=F("named_count") + F("headcount"))


def activity_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Activity]:
    """Activities in the viewer's tree, with person-times. Filters: `kind` (a code), `union`
    (a Union: it and everything under it), `date_from` / `date_to` (dates, inclusive, local)."""
    qs = scope_queryset(Activity.objects.select_related("kind", "union"), viewer)
    filters = filters or {}
    if kind := filters.get("kind"):
        qs = qs.filter(kind__code=kind)
    if union := filters.get("union"):
        qs = qs.filter(within_q(union))
    return with_person_times(
        qs.filter(local_date_q(filters.get("date_from"), filters.get("date_to")))
    )


def local_date_q(date_from: dt.date | None, date_to: dt.date | None) -> Q:
    """Activities starting on or after `date_from` and on or before `date_to` (inclusive, as
    dates in Huzhou time)."""
    tz = timezone.get_default_timezone()
    q = Q()
    if date_from:
        q &= Q(starts_at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        next_day = date_to + dt.timedelta(days=1)
        q &= Q(starts_at__lt=dt.datetime.combine(next_day, dt.time.min, tzinfo=tz))
    return q


def attendance_list(*, viewer: Viewer) -> QuerySet[Attendance]:
    """Named attendance at activities the viewer's tree organised."""
    return scope_queryset(
        Attendance.objects.select_related("activity", "member", "activity__union"),
        viewer,
        "activity__union",
    )


def culture_position_list(*, viewer: Viewer) -> QuerySet[CulturePosition]:
    return scope_queryset(CulturePosition.objects.select_related("union"), viewer)


def shared_centre_list(*, viewer: Viewer) -> QuerySet[SharedCultureCentre]:
    return scope_queryset(SharedCultureCentre.objects.select_related("union"), viewer)


# --- figures (report-card keys whose app is `activities`) ---------------------------------


MEMBER_DAY = 20  # 设定每月20日为“工会会员日”


def activities_of(*, kind: str, year: int, union: Union) -> QuerySet[Activity]:
    """Activities of `kind` organised by `union` or below it, started within `year` (local)."""
    start, end = year_bounds(year)
    return Activity.objects.filter(
        within_q(union),
        kind__code=kind,
        starts_at__gte=start,
        starts_at__lt=end,
    ).select_related("union", "kind")


ACTIVITY_COLUMNS = [
    ("活动主题", "title"),
    ("活动类型", "kind__name"),
    ("主办工会", "union__name"),
    ("开始时间", "starts_at"),
    ("活动地点", "place"),
]
SPEAKER_COLUMNS = [*ACTIVITY_COLUMNS, ("主讲人", "speaker"), ("主讲人类别", "speaker_kind")]


@figure(
    "pre_shift_person_times",
    total="person_times",
    columns=[
        *ACTIVITY_COLUMNS,
        ("签到人数", "named_count"),
        ("未具名人数", "headcount"),
        ("人次", "person_times"),
    ],
    date_field="starts_at",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计“班前十分钟”参与人次：当年开展的班前十分钟活动，每场的签到会员数（"
        "同一会员同一场只计1次）加未具名到场人数；同一会员参加两场计2人次，不去"
        "重。按主办工会归属，统计期间：当年（按活动开始时间，北京时间）。"
    ),
)
def pre_shift_person_times(*, year: int, union: Union) -> QuerySet[Activity]:
    """班前十分钟 person-times: over the year's sessions, the members named at each (once per
    session by constraint; a member at two sessions counts twice) plus the unnamed headcount."""
    return with_person_times(activities_of(kind=ActivityKind.PRE_SHIFT, year=year, union=union))


def _pre_shift_reaches(*, year: int, union: Union) -> QuerySet[ActivityReach]:
    sessions = activities_of(kind=ActivityKind.PRE_SHIFT, year=year, union=union)
    return ActivityReach.objects.filter(activity__in=sessions.values("pk"))


def _pre_shift_reach(*, year: int, union: Union) -> QuerySet:
    return _pre_shift_reaches(year=year, union=union).values_list("activity__union", "enterprise")


@figure(
    "pre_shift_organisations",
    columns=[("企业", "name"), ("统一社会信用代码", "credit_code"), ("所属工会", "union__name")],
    union_path="activity__union",
    aggregate="distinct_enterprises",
    through=("activities.ActivityReach", "enterprise"),
    definition=(
        "统计“班前十分钟”覆盖企业数：当年开展的班前十分钟活动所覆盖的企业（活动"
        "覆盖记录中的企业），按企业去重，一家企业被多场活动覆盖只计1家。统计期间"
        "：当年。"
    ),
    reach=_pre_shift_reach,
)
def pre_shift_organisations(*, year: int, union: Union) -> QuerySet[Enterprise]:
    """班前十分钟 organisations reached: the distinct enterprises that the year's sessions
    reached (a session reaching a team within an enterprise reaches that enterprise)."""
    reached = _pre_shift_reaches(year=year, union=union).values("enterprise_id")
    return Enterprise.objects.filter(pk__in=reached).select_related("union")


@figure(
    "model_worker_lectures",
    columns=SPEAKER_COLUMNS,
    date_field="starts_at",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计劳模工匠“开学第一课”等宣讲场次：当年举办的宣讲类活动中主讲人类别为"
        "劳模工匠的场次，每场计1场，按主办工会归属。统计期间：当年（按活动开始时"
        "间）。"
    ),
)
def model_worker_lectures(*, year: int, union: Union) -> QuerySet[Activity]:
    """劳模工匠“开学第一课”等宣讲: the year's lectures given by a model worker or craftsman."""
    return activities_of(kind=ActivityKind.LECTURE, year=year, union=union).filter(
        speaker_kind=Activity.SpeakerKind.MODEL_WORKER
    )


@figure(
    "culture_to_grassroots_events",
    columns=ACTIVITY_COLUMNS,
    date_field="starts_at",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计“送文化下基层”场次：当年举办的送文化下基层活动，每场计1场，按主办"
        "工会归属。统计期间：当年（按活动开始时间）。"
    ),
)
def culture_to_grassroots_events(*, year: int, union: Union) -> QuerySet[Activity]:
    """送文化下基层场次: the year's shows taken to the grassroots."""
    return activities_of(kind=ActivityKind.CULTURE_SHOW, year=year, union=union)


@figure(
    "interest_group_activities",
    columns=ACTIVITY_COLUMNS,
    date_field="starts_at",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计职工兴趣小组活动次数：当年开展的兴趣小组活动，每次计1次，按主办工会"
        "归属。统计期间：当年（按活动开始时间）。"
    ),
)
def interest_group_activities(*, year: int, union: Union) -> QuerySet[Activity]:
    """兴趣小组活动次数: the year's interest-group activities."""
    return activities_of(kind=ActivityKind.INTEREST_GROUP, year=year, union=union)


@figure(
    "double_hundred_activities",
    columns=ACTIVITY_COLUMNS,
    date_field="starts_at",
    union_path="union",
    aggregate="sum",
    cumulative=True,
    definition=(
        "统计“双百引领”实施活动场次：“双百引领”类活动，每场计1场，不去重，按"
        "主办工会归属。统计期间：指标设置了“累计起始日期”的，自该日起至当年12"
        "月31日累计（成绩单“已承办”口径）；未设置的，为当年1月1日至12月3"
        "1日（按活动开始时间）。"
    ),
)
def double_hundred_activities(
    *, year: int, union: Union, since: dt.date | None = None
) -> QuerySet[Activity]:
    """“双百引领”实施活动场次: activities under the 双百引领 programme, held within `year`, or
    from `since` (the start date stored with the indicator: the card's 已承办 under the three-year
    plan) to the end of `year`."""
    if since is None:
        return activities_of(kind=ActivityKind.DOUBLE_HUNDRED, year=year, union=union)
    tz = timezone.get_default_timezone()
    _start, end = year_bounds(year)
    return Activity.objects.filter(
        within_q(union),
        kind__code=ActivityKind.DOUBLE_HUNDRED,
        starts_at__gte=dt.datetime.combine(since, dt.time.min, tzinfo=tz),
        starts_at__lt=end,
    ).select_related("union", "kind")


@figure(
    "member_day_events",
    columns=[*ACTIVITY_COLUMNS, ("线上活动", "is_online")],
    date_field="starts_at",
    union_path="union",
    aggregate="distinct_months",
    definition=(
        "统计“工会会员日”开展月数：本级及下属工会在当年举办、且活动日期为当月2"
        "0日的工会会员日活动（线上线下均计）所在的不同月份数，同一月份多场活动只"
        "计1个月，最多12个月。统计期间：当年（按活动开始时间，北京时间）。"
    ),
)
def member_day_events(*, year: int, union: Union) -> QuerySet[Activity]:
    """工会会员日 (设定每月20日): the year's member-day activities, online and offline, held on the
    20th of a month (in Huzhou time). The figure is the number of distinct months among them: the
    card's target of 12 is a member day in every month, which twelve events in one month, or
    twelve unions' events in one month, do not meet."""
    return activities_of(kind=ActivityKind.MEMBER_DAY, year=year, union=union).filter(
        # A datetime's day is taken in the current time zone (Asia/Shanghai): 00:30 on the 20th
        # local is the 19th in UTC and still counts.
        starts_at__day=MEMBER_DAY
    )


@figure(
    "township_culture_positions",
    columns=[
        ("乡镇(街道)工会", "union__name"),
        ("阵地名称", "name"),
        ("建成日期", "opened_on"),
        ("当年建成阵地数", "positions_in_year"),
    ],
    date_field="opened_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计建成职工文化活动阵地的乡镇（街道）工会数：当年建成职工文化活动阵地的"
        "乡镇（街道）级工会，按工会去重，一个乡镇（街道）工会当年建成多个阵地只计"
        "1个。统计期间：当年（按阵地建成日期）。"
    ),
)
def township_culture_positions(*, year: int, union: Union) -> QuerySet[CulturePosition]:
    """乡镇(街道)工会建成职工文化活动阵地: the township unions that completed a position within
    `year`, one row each (their first position of the year; `positions_in_year` says how many
    they completed). The card counts unions (30个乡镇(街道)工会), not positions."""
    in_year = CulturePosition.objects.filter(
        within_q(union),
        union__level=Union.Level.TOWNSHIP,
        opened_on__year=year,
    )
    # One row per township union (its first position of the year): a correlated subquery rather
    # than DISTINCT ON, which the embedded SQLite demo does not have.
    earliest = in_year.filter(union=OuterRef("union")).order_by("opened_on", "pk")
    first_each = in_year.filter(pk=Subquery(earliest.values("pk")[:1])).values("pk")
    per_union = (
        in_year.filter(union=OuterRef("union"))
        .order_by()
        .values("union")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        CulturePosition.objects.filter(pk__in=first_each)
        .annotate(positions_in_year=Subquery(per_union, output_field=IntegerField()))
        .select_related("union")
    )
