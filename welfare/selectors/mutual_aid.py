"""Reads for mutual aid (职工医疗互助): plans, benefit lines, enrolments, claims and payouts."""

from django.db.models import (
    Case,
    QuerySet,
    Value,
    When,
)

from common.figures import figure
from members.models import Member, Union
from members.scoping import Viewer, scope_queryset, within_q
from welfare.models import (
    Claim,
    ClaimEvent,
    Enrolment,
    Payout,
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


PAYOUT_COLUMNS = [
    ("会员", "claim__member__name"),
    ("所属工会", "union__name"),
    ("医院", "claim__hospital"),
    ("发放金额（元）", "amount"),
    ("发放日期", "paid_on"),
]


@figure(
    "mutual_aid_enrollments",
    columns=[
        ("会员", "member__name"),
        ("互助项目", "line__name"),
        ("所属工会", "union__name"),
        ("参保日期", "enrolled_on"),
    ],
    union_path="union",
    aggregate="sum",
    definition=(
        "统计职工医疗互助参保人次：当年度互助保障计划各保障项目的参保记录，一名会"
        "员参加两个项目计2人次，不去重，按参保工会归属。统计期间：计划年度为当年"
        "。"
    ),
)
def mutual_aid_enrollments(*, year: int, union: Union) -> QuerySet[Enrolment]:
    """职工医疗互助参保人次: enrolments in the benefit lines of `year`'s plans; a member in two
    lines counts twice (person-times)."""
    return Enrolment.objects.filter(within_q(union), line__plan__year=year)


@figure(
    "mutual_aid_payout",
    total="amount",
    divisor=10000,
    places=2,
    columns=PAYOUT_COLUMNS,
    date_field="paid_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计发放医疗互助金（万元）：当年实际支付的医疗互助金金额合计，以元记录、"
        "折算为万元保留两位小数，按参保工会归属。统计期间：当年（按支付日期）。"
    ),
)
def mutual_aid_payout(*, year: int, union: Union) -> QuerySet[Payout]:
    """发放医疗互助金 (万元): mutual-aid money paid out during `year`."""
    return Payout.objects.filter(within_q(union), paid_on__year=year)


@figure(
    "mutual_aid_beneficiaries",
    columns=PAYOUT_COLUMNS,
    date_field="paid_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计医疗互助惠及职工人次：当年实际支付的互助金笔数，每笔计1人次，不去重"
        "，按参保工会归属。统计期间：当年（按支付日期）。"
    ),
)
def mutual_aid_beneficiaries(*, year: int, union: Union) -> QuerySet[Payout]:
    """医疗互助惠及职工人次: payouts made during `year`, one person-time each."""
    return Payout.objects.filter(within_q(union), paid_on__year=year)
