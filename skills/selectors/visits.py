"""Reads of 劳模工匠助企行 (craftsman visits to enterprises): the scoped lists, the member's own records
and the report-card figures."""

from django.db.models import QuerySet

from common.figures import figure
from members.models import Union
from members.scoping import Viewer, scope_queryset, within_q
from skills.models import (
    CraftsmanVisit,
)


def visit_list(*, viewer: Viewer) -> QuerySet[CraftsmanVisit]:
    return scope_queryset(CraftsmanVisit.objects.select_related("union", "enterprise"), viewer)


@figure(
    "craftsman_enterprise_visits",
    columns=[
        ("活动名称", "title"),
        ("组织工会", "union__name"),
        ("服务企业", "enterprise__name"),
        ("活动日期", "held_on"),
    ],
    date_field="held_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计劳模工匠助企行活动场次：当年开展的劳模工匠助企行活动，每场计1场，按"
        "组织工会归属。统计期间：当年（按活动日期）。"
    ),
)
def craftsman_enterprise_visits(*, year: int, union: Union) -> QuerySet[CraftsmanVisit]:
    """劳模工匠助企行活动场次."""
    return CraftsmanVisit.objects.filter(held_on__year=year).filter(within_q(union))
