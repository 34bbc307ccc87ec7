"""Reads of 竞赛 (competitions and their entries): the scoped lists, the member's own records and
the report-card figures."""

import datetime as dt

from django.db.models import F, QuerySet

from common.figures import figure
from members.models import Member, Union
from members.scoping import Viewer, scope_q, scope_queryset, within_q
from skills.models import (
    BAIYE_QIANJIANG,
    Competition,
    CompetitionEntry,
)


def competition_list(*, viewer: Viewer) -> QuerySet[Competition]:
    return scope_queryset(Competition.objects.select_related("union"), viewer)


def entry_list(*, viewer: Viewer) -> QuerySet[CompetitionEntry]:
    """Entries the viewer may see: those of competitions their tree runs, and those of entrants
    from their tree (a township sees its members' entries in a city competition)."""
    return CompetitionEntry.objects.select_related("competition", "member", "union").filter(
        scope_q(viewer, "competition__union") | scope_q(viewer, "union")
    )


def member_competitions_open(*, member: Member, on: dt.date) -> QuerySet[Competition]:
    """Competitions a member may still enter on `on` (for the portal): run by their union or a
    union above it, and not yet over."""
    ancestors = [p for p in member.union.path.split("/") if p]
    return Competition.objects.filter(union__code__in=ancestors, end_date__gte=on).exclude(
        entries__member=member
    )


def member_entries(*, member: Member) -> QuerySet[CompetitionEntry]:
    """A member's own competition entries, newest first (for the portal)."""
    return (
        CompetitionEntry.objects.filter(member=member)
        .select_related("competition")
        .order_by("-competition__start_date", "id")
    )


COMPETITION_COLUMNS = [
    ("竞赛名称", "name"),
    ("级别", "level"),
    ("工种", "occupation"),
    ("组织工会", "union__name"),
    ("开始日期", "start_date"),
    ("结束日期", "end_date"),
]


@figure(
    "city_competitions",
    columns=COMPETITION_COLUMNS,
    date_field="start_date",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计市、区县两级“百业千匠”职业技能竞赛场次：级别为市级或区县级、赛事系"
        "列为“百业千匠”的职业技能竞赛（立功竞赛不计），每项计1场，按组织工会归"
        "属。统计期间：当年（按竞赛开始日期）。"
    ),
)
def city_competitions(*, year: int, union: Union) -> QuerySet[Competition]:
    """市、区县两级“百业千匠”职业技能竞赛: city- and district-level competitions of the 百业千匠
    series (merit competitions are not skills competitions), by the year they start."""
    return Competition.objects.filter(
        start_date__year=year,
        level__in=[Competition.Level.CITY, Competition.Level.DISTRICT],
        series=BAIYE_QIANJIANG,
        is_merit=False,
    ).filter(within_q(union))


@figure(
    "provincial_competitions_hosted",
    columns=COMPETITION_COLUMNS,
    date_field="start_date",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计承办省级以上职业技能竞赛场次：级别为省级或国家级、且由本级或下属工会"
        "承办（竞赛记录的“承办工会”为组织工会或其下级工会）的职业技能竞赛（立功竞赛不计），仅主"
        "办、协办或组队参赛的不计；每项计1场，按承办工会归属。统计期间：当年（按"
        "竞赛开始日期）。"
    ),
)
def provincial_competitions_hosted(*, year: int, union: Union) -> QuerySet[Competition]:
    """承办省级以上职业技能竞赛: provincial and national skills competitions, by the year they
    start, that a union of the tree hosted (承办): the record's `host_union` (承办工会) is the union that
    runs it or a union under it (an enterprise of ours hosts through its union). A provincial
    competition a union merely recorded (it sent a team, or co-organised one hosted elsewhere)
    does not count."""
    return hosted_here(
        Competition.objects.filter(
            start_date__year=year,
            level__in=[Competition.Level.PROVINCIAL, Competition.Level.NATIONAL],
            is_merit=False,
        ).filter(within_q(union))
    )


def hosted_here(competitions: QuerySet[Competition]) -> QuerySet[Competition]:
    """The competitions whose host union (`host_union`, 承办工会) is their own union or one under
    it: the tree that runs the record is the tree that hosted it. The 承办单位 written as text is
    not read: a name is not a reference."""
    return competitions.filter(host_union__path__startswith=F("union__path"))


@figure(
    "merit_competitions_provincial_demo",
    columns=[*COMPETITION_COLUMNS, ("重点项目", "key_project")],
    union_path="union",
    aggregate="sum",
    definition=(
        "统计列为省级示范的立功竞赛项目数：当年被列为省级示范的劳动和技能立功竞赛"
        "项目，每项计1项，按组织工会归属。统计期间：列为省级示范的年份为当年。"
    ),
)
def merit_competitions_provincial_demo(*, year: int, union: Union) -> QuerySet[Competition]:
    """立功竞赛项目列为省级示范: merit competitions listed as provincial demonstrations in `year`."""
    return Competition.objects.filter(is_merit=True, provincial_demo_year=year).filter(
        within_q(union)
    )
