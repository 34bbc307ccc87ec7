"""Reads for hardship assistance (帮扶) and visits (慰问)."""

from django.db.models import (
    Q,
    QuerySet,
)

from common.figures import figure
from members.models import Member, Union
from members.scoping import within_q
from members.selectors import one_row_per_person
from welfare.models import (
    AssistanceFund,
    HardshipCase,
    Visit,
)
from welfare.selectors._common import MEMBER_COLUMNS


@figure(
    "assistance_funds_raised",
    total="amount",
    divisor=10000,
    places=2,
    columns=[("资金", "name"), ("来源", "source"), ("金额（元）", "amount"), ("日期", "raised_on")],
    date_field="raised_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计筹集帮扶经费（万元）：当年筹集到账的帮扶资金金额合计，以元记录、折算"
        "为万元保留两位小数，按筹集工会归属。统计期间：当年（按筹集日期）。"
    ),
)
def assistance_funds_raised(*, year: int, union: Union) -> QuerySet[AssistanceFund]:
    """筹集帮扶经费 (万元): assistance money raised during `year`."""
    return AssistanceFund.objects.filter(within_q(union), raised_on__year=year)


def _hardship_visits(*, year: int, union: Union) -> QuerySet[Visit]:
    return Visit.objects.filter(within_q(union), visited_on__year=year).filter(
        Q(frontline=True) | Q(in_hardship=True)
    )


def _hardship_visits_reach(*, year: int, union: Union) -> QuerySet:
    return _hardship_visits(year=year, union=union).values_list("union", "member__id_number_hash")


@figure(
    "hardship_workers_visited",
    columns=MEMBER_COLUMNS,
    union_path="visits__union",
    aggregate="distinct_persons",
    definition=(
        "统计慰问一线（困难）职工人数：当年作为一线职工或困难职工被慰问的会员，按"
        "公民身份号码去重（同一人慰问多次或有两条会籍只计1人），计入开展慰问的工"
        "会。统计期间：当年（按慰问日期）。"
    ),
    reach=_hardship_visits_reach,
)
def hardship_workers_visited(*, year: int, union: Union) -> QuerySet[Member]:
    """慰问一线(困难)职工 (persons): workers of the union's tree visited during `year` as frontline
    or hardship workers; a worker visited twice, or under two memberships, counts once."""
    visited = _hardship_visits(year=year, union=union)
    return one_row_per_person(Member.objects.filter(pk__in=visited.values("member_id")))


def member_hardship_cases(*, member: Member) -> QuerySet[HardshipCase]:
    """The person's own hardship cases and applications (any membership), newest first."""
    return HardshipCase.objects.filter(member__id_number_hash=member.id_number_hash).order_by(
        "-created_at", "-pk"
    )
