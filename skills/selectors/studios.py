"""Reads of 工匠学院与创新工作室 (academies, studios and their alliances): the scoped lists, the member's
own records and the report-card figures."""

import datetime as dt

from django.db.models import Q, QuerySet

from common.figures import figure
from members.models import Union
from members.scoping import Viewer, scope_queryset, within_q
from skills.models import (
    CraftsmanAcademy,
    InnovationStudio,
    StudioAlliance,
)


def academy_list(*, viewer: Viewer) -> QuerySet[CraftsmanAcademy]:
    return scope_queryset(CraftsmanAcademy.objects.select_related("union"), viewer)


def alliance_list(*, viewer: Viewer) -> QuerySet[StudioAlliance]:
    return scope_queryset(
        StudioAlliance.objects.select_related("union", "leader_enterprise"), viewer
    )


def studio_list(*, viewer: Viewer) -> QuerySet[InnovationStudio]:
    return scope_queryset(
        InnovationStudio.objects.select_related("union", "enterprise", "leader", "alliance"),
        viewer,
    )


@figure(
    "craftsman_academies",
    columns=[
        ("名称", "name"),
        ("层级", "level"),
        ("所属工会", "union__name"),
        ("成立日期", "established_on"),
    ],
    union_path="union",
    aggregate="sum",
    definition=(
        "统计市、区县两级工匠学院数：成立日期不晚于当年12月31日、且当日未撤销"
        "的工匠学院，每所计1所，按所属工会归属。统计时点：当年12月31日（存量"
        "）。"
    ),
)
def craftsman_academies(*, year: int, union: Union) -> QuerySet[CraftsmanAcademy]:
    """市、区县两级工匠学院: academies standing at the end of `year` (set up by 31 December and not
    closed by then)."""
    end = dt.date(year, 12, 31)
    return (
        CraftsmanAcademy.objects.filter(established_on__lte=end)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .filter(within_q(union))
    )


@figure(
    "city_innovation_studios",
    columns=[
        ("名称", "name"),
        ("类别", "kind"),
        ("所属工会", "union__name"),
        ("依托单位", "enterprise__name"),
    ],
    union_path="union",
    aggregate="sum",
    definition=(
        "统计培育市级创新工作室数：当年命名为市级的职工（劳模、工匠）创新工作室，"
        "每个计1个，按所属工会归属。统计期间：命名年度为当年。"
    ),
)
def city_innovation_studios(*, year: int, union: Union) -> QuerySet[InnovationStudio]:
    """培育市级创新工作室: studios named at city level in `year`."""
    return InnovationStudio.objects.filter(
        level=InnovationStudio.Level.CITY, recognised_year=year
    ).filter(within_q(union))
