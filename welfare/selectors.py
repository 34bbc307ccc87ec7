"""Reads for welfare and rights. Lists take the viewer (the tree scope cannot be forgotten);
figures take a year and a union (that union and everything under it), per common/figures.py."""

import datetime as dt

from django.db.models import (
    Case,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Now

from common.figures import figure
from members.models import Enterprise, Member, Union
from members.scoping import Viewer, scope_queryset
from members.selectors import one_row_per_person
from welfare.models import (
    AssistanceFund,
    Claim,
    ClaimEvent,
    Concern,
    Enrolment,
    GrassrootsInvestment,
    JobFair,
    LabourRelationsSite,
    LegalAidEvent,
    Payout,
    RecuperationParticipant,
    RecuperationProgramme,
    ServiceStation,
    StationUpgrade,
    StationVisit,
    Trainee,
    Visit,
    WageContract,
)

# --- lists for staff -----------------------------------------------------------------------------


def claim_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Claim]:
    qs = scope_queryset(
        Claim.objects.select_related("member", "union", "enrolment__line__plan", "reviewer"),
        viewer,
    )
    filters = filters or {}
    if state := filters.get("state"):
        qs = qs.filter(state=state)
    if year := filters.get("year"):
        qs = qs.filter(enrolment__line__plan__year=year)
    return qs


def claim_queue(*, viewer: Viewer) -> QuerySet[Claim]:
    """A reviewer's queue: open claims in the viewer's tree, oldest first (first come, first
    served), those already under review ahead of new ones."""
    return (
        claim_list(viewer=viewer)
        .filter(state__in=Claim.OPEN_STATES)
        .order_by(
            Case(When(state=Claim.State.UNDER_REVIEW, then=Value(0)), default=Value(1)),
            "submitted_at",
            "pk",
        )
    )


def claim_history(*, claim: Claim) -> QuerySet[ClaimEvent]:
    return claim.events.select_related("by").order_by("at", "pk")


def enrolment_list(*, viewer: Viewer) -> QuerySet[Enrolment]:
    return scope_queryset(
        Enrolment.objects.select_related("member", "line__plan", "union", "payer"), viewer
    )


def payout_list(*, viewer: Viewer) -> QuerySet[Payout]:
    return scope_queryset(Payout.objects.select_related("claim__member", "union"), viewer)


def concern_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Concern]:
    """Concerns routed to the viewer's tree, with `overdue` (open past its deadline, or answered
    after it) and `time_to_answer` (None while open)."""
    qs = scope_queryset(Concern.objects.select_related("union", "member", "answered_by"), viewer)
    qs = qs.annotate(
        overdue=Case(
            When(Q(answered_at__isnull=True, due_at__lt=Now()), then=Value(True)),
            When(answered_at__gt=F("due_at"), then=Value(True)),
            default=Value(False),
        ),
        time_to_answer=ExpressionWrapper(
            F("answered_at") - F("raised_at"), output_field=DurationField()
        ),
    )
    filters = filters or {}
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    if filters.get("overdue"):
        qs = qs.filter(overdue=True)
    return qs


# --- for the member portal (the member is the viewer) -------------------------------------------


def member_claims(*, member: Member) -> QuerySet[Claim]:
    """A member following their own claims (all memberships of the same person)."""
    return (
        Claim.objects.filter(member__id_number_hash=member.id_number_hash)
        .select_related("enrolment__line__plan")
        .prefetch_related("events")
        .order_by("-submitted_at")
    )


def member_enrolments(*, member: Member) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(member=member).select_related("line__plan")


def member_concerns(*, member: Member) -> QuerySet[Concern]:
    return Concern.objects.filter(member=member).order_by("-raised_at")


# --- figures (report-card keys whose app is `welfare`) ------------------------------------------


def _within(union: Union, field: str = "union") -> Q:
    return Q(**{f"{field}__path__startswith": union.path})


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


PAYOUT_COLUMNS = [
    ("会员", "claim__member__name"),
    ("所属工会", "union__name"),
    ("医院", "claim__hospital"),
    ("发放金额（元）", "amount"),
    ("发放日期", "paid_on"),
]
MEMBER_COLUMNS = [
    ("姓名", "name"),
    ("公民身份号码", "id_number_masked"),
    ("所属工会", "union__name"),
]
STATION_COLUMNS = [
    ("站点", "name"),
    ("地址", "address"),
    ("所属工会", "union__name"),
    ("建成日期", "built_on"),
]
EVENT_COLUMNS = [("活动", "title"), ("主办工会", "union__name"), ("日期", "held_on")]


@figure(
    "mutual_aid_enrollments",
    columns=[
        ("会员", "member__name"),
        ("互助项目", "line__name"),
        ("所属工会", "union__name"),
        ("参保日期", "enrolled_on"),
    ],
)
def mutual_aid_enrollments(*, year: int, union: Union) -> QuerySet[Enrolment]:
    """职工医疗互助参保人次: enrolments in the benefit lines of `year`'s plans; a member in two
    lines counts twice (person-times)."""
    return Enrolment.objects.filter(_within(union), line__plan__year=year)


@figure(
    "mutual_aid_payout",
    total="amount",
    divisor=10000,
    places=2,
    columns=PAYOUT_COLUMNS,
    date_field="paid_on",
)
def mutual_aid_payout(*, year: int, union: Union) -> QuerySet[Payout]:
    """发放医疗互助金 (万元): mutual-aid money paid out during `year`."""
    return Payout.objects.filter(_within(union), paid_on__year=year)


@figure("mutual_aid_beneficiaries", columns=PAYOUT_COLUMNS, date_field="paid_on")
def mutual_aid_beneficiaries(*, year: int, union: Union) -> QuerySet[Payout]:
    """医疗互助惠及职工人次: payouts made during `year`, one person-time each."""
    return Payout.objects.filter(_within(union), paid_on__year=year)


@figure(
    "assistance_funds_raised",
    total="amount",
    divisor=10000,
    places=2,
    columns=[("资金", "name"), ("来源", "source"), ("金额（元）", "amount"), ("日期", "raised_on")],
    date_field="raised_on",
)
def assistance_funds_raised(*, year: int, union: Union) -> QuerySet[AssistanceFund]:
    """筹集帮扶经费 (万元): assistance money raised during `year`."""
    return AssistanceFund.objects.filter(_within(union), raised_on__year=year)


@figure("hardship_workers_visited", columns=MEMBER_COLUMNS)
def hardship_workers_visited(*, year: int, union: Union) -> QuerySet[Member]:
    """慰问一线(困难)职工 (persons): workers of the union's tree visited during `year` as frontline
    or hardship workers; a worker visited twice, or under two memberships, counts once."""
    visited = Visit.objects.filter(_within(union), visited_on__year=year).filter(
        Q(frontline=True) | Q(in_hardship=True)
    )
    return one_row_per_person(Member.objects.filter(pk__in=visited.values("member_id")))


def _upgraded(kind: str, *, year: int, union: Union) -> QuerySet[ServiceStation]:
    upgrades = StationUpgrade.objects.filter(upgraded_on__year=year)
    return ServiceStation.objects.filter(
        _within(union), kind=kind, pk__in=upgrades.values("station_id")
    )


@figure("outdoor_stations_upgraded", columns=STATION_COLUMNS)
def outdoor_stations_upgraded(*, year: int, union: Union) -> QuerySet[ServiceStation]:
    """改造提升户外劳动者服务站点: outdoor-worker stations upgraded during `year` (a station
    upgraded twice in a year counts once)."""
    return _upgraded(ServiceStation.Kind.OUTDOOR_WORKER, year=year, union=union)


@figure("mommy_rooms_upgraded", columns=STATION_COLUMNS)
def mommy_rooms_upgraded(*, year: int, union: Union) -> QuerySet[ServiceStation]:
    """改造提升“妈咪暖心小屋”: mommy rooms upgraded during `year`."""
    return _upgraded(ServiceStation.Kind.MOMMY_ROOM, year=year, union=union)


@figure("outdoor_stations_total", columns=STATION_COLUMNS)
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
)
def outdoor_station_visits(*, year: int, union: Union) -> QuerySet[StationVisit]:
    """站点服务户外劳动者人次: person-times served by outdoor-worker stations during `year`."""
    return StationVisit.objects.filter(
        _within(union, "station__union"),
        station__kind=ServiceStation.Kind.OUTDOOR_WORKER,
        visited_on__year=year,
    )


@figure("recuperation_participants", columns=MEMBER_COLUMNS)
def recuperation_participants(*, year: int, union: Union) -> QuerySet[Member]:
    """普惠性疗休养职工人数 (persons): workers of the union's tree on an inclusive recuperation
    programme starting in `year`; a worker who went twice, or under two memberships, counts once."""
    went = RecuperationParticipant.objects.filter(
        _within(union),
        programme__kind=RecuperationProgramme.Kind.INCLUSIVE,
        programme__starts_on__year=year,
    )
    return one_row_per_person(Member.objects.filter(pk__in=went.values("member_id")))


@figure("job_fairs", columns=[*EVENT_COLUMNS, ("入场人次", "attendance")], date_field="held_on")
def job_fairs(*, year: int, union: Union) -> QuerySet[JobFair]:
    """“湖工助业”就业招聘活动场次: job fairs held during `year`."""
    return JobFair.objects.filter(_within(union), held_on__year=year)


@figure(
    "reemployment_training",
    columns=[("姓名", "name"), ("培训班", "course__title"), ("开班日期", "course__starts_on")],
    date_field="course__starts_on",
)
def reemployment_training(*, year: int, union: Union) -> QuerySet[Trainee]:
    """转岗再就业培训人次: trainees on courses starting in `year` (one person-time per course)."""
    return Trainee.objects.filter(_within(union, "course__union"), course__starts_on__year=year)


@figure(
    "labour_relations_model_sites",
    columns=[("名称", "name"), ("所属工会", "union__name"), ("命名日期", "recognised_on")],
    date_field="recognised_on",
)
def labour_relations_model_sites(*, year: int, union: Union) -> QuerySet[LabourRelationsSite]:
    """省级基层劳动关系公共服务样板: provincial model sites recognised during `year`."""
    return LabourRelationsSite.objects.filter(
        _within(union), level=LabourRelationsSite.Level.PROVINCIAL, recognised_on__year=year
    )


@figure(
    "legal_aid_events", columns=[*EVENT_COLUMNS, ("服务人次", "person_times")], date_field="held_on"
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
)
def legal_aid_person_times(*, year: int, union: Union) -> QuerySet[LegalAidEvent]:
    """公益法律服务职工人次: person-times served by the legal-aid events of `year`, online
    campaigns included."""
    return LegalAidEvent.objects.filter(_within(union), held_on__year=year)


@figure(
    "wage_contracts",
    columns=[
        ("企业", "enterprise__name"),
        ("签订日期", "signed_on"),
        ("到期日期", "expires_on"),
        ("覆盖职工", "employees_covered"),
    ],
    date_field="signed_on",
)
def wage_contracts(*, year: int, union: Union) -> QuerySet[WageContract]:
    """能级工资集体合同签订份数: contracts signed during `year`."""
    return WageContract.objects.filter(_within(union), signed_on__year=year)


@figure(
    "wage_contract_coverage",
    share_of="covered",
    columns=[("企业", "name"), ("所属工会", "union__name"), ("已签订", "covered")],
)
def wage_contract_coverage(*, year: int, union: Union) -> QuerySet[Enterprise]:
    """规上建会企业能级工资集体协商覆盖率 (%): of the above-designated-size enterprises registered
    under the union's tree (each is unionised: it is on the union register), the share with a wage
    contract in force on 31 December of `year` (`covered` is 1 or 0)."""
    end = _year_end(year)
    in_force = WageContract.objects.filter(
        enterprise=OuterRef("pk"), signed_on__lte=end, expires_on__gte=end
    )
    return Enterprise.objects.filter(_within(union), above_designated_size=True).annotate(
        covered=Case(
            When(Exists(in_force), then=Value(1)), default=Value(0), output_field=IntegerField()
        )
    )


@figure(
    "grassroots_investment",
    total="amount",
    divisor=10000,
    places=2,
    columns=[("项目", "project"), ("所属工会", "union__name"), ("金额（元）", "amount")],
    date_field="spent_on",
)
def grassroots_investment(*, year: int, union: Union) -> QuerySet[GrassrootsInvestment]:
    """大抓基层三年行动投入 (万元): grassroots investment spent during `year`."""
    return GrassrootsInvestment.objects.filter(_within(union), spent_on__year=year)
