"""Reads for hardship assistance (帮扶) and visits (慰问)."""

from django.db.models import (
    Q,
    QuerySet,
)

from common.figures import figure
from members.models import Member, Union
from members.selectors import one_row_per_person
from welfare.models import (
    AssistanceFund,
    HardshipCase,
    Visit,
)
from welfare.selectors._common import MEMBER_COLUMNS, _within


@figure(
    "assistance_funds_raised",
    total="amount",
    divisor=10000,
    places=2,
    columns=[("资金", "name"), ("来源", "source"), ("金额（元）", "amount"), ("日期", "raised_on")],
    date_field="raised_on",
    union_path="union",
    aggregate="sum",
)
def assistance_funds_raised(*, year: int, union: Union) -> QuerySet[AssistanceFund]:
    """筹集帮扶经费 (万元): assistance money raised during `year`."""
    return AssistanceFund.objects.filter(_within(union), raised_on__year=year)


@figure(
    "hardship_workers_visited",
    columns=MEMBER_COLUMNS,
    union_path="visits__union",
    aggregate="distinct_persons",
)
def hardship_workers_visited(*, year: int, union: Union) -> QuerySet[Member]:
    """慰问一线(困难)职工 (persons): workers of the union's tree visited during `year` as frontline
    or hardship workers; a worker visited twice, or under two memberships, counts once."""
    visited = Visit.objects.filter(_within(union), visited_on__year=year).filter(
        Q(frontline=True) | Q(in_hardship=True)
    )
    return one_row_per_person(Member.objects.filter(pk__in=visited.values("member_id")))


def member_hardship_cases(*, member: Member) -> QuerySet[HardshipCase]:
    """The person's own hardship cases and applications (any membership), newest first."""
    return HardshipCase.objects.filter(member__id_number_hash=member.id_number_hash).order_by(
        "-created_at", "-pk"
    )
