"""Reads of 金点子、创新成果与难题攻关 (golden ideas, results, problems solved): the scoped lists, the member's
own records and the report-card figures."""

from django.db.models import QuerySet

from common.figures import figure
from members.models import Member, Union
from members.scoping import Viewer, scope_queryset, within_q
from skills.models import (
    GoldenIdea,
    InnovationResult,
    TechnicalProblem,
)


def idea_list(*, viewer: Viewer) -> QuerySet[GoldenIdea]:
    return scope_queryset(GoldenIdea.objects.select_related("member", "union"), viewer)


def result_list(*, viewer: Viewer) -> QuerySet[InnovationResult]:
    return scope_queryset(
        InnovationResult.objects.select_related("union", "enterprise", "member", "studio"), viewer
    )


def problem_list(*, viewer: Viewer) -> QuerySet[TechnicalProblem]:
    return scope_queryset(TechnicalProblem.objects.select_related("union", "enterprise"), viewer)


def member_ideas(*, member: Member) -> QuerySet[GoldenIdea]:
    """A member's own golden ideas and what became of them (for the portal)."""
    return GoldenIdea.objects.filter(member=member).order_by("-submitted_on", "-id")


@figure(
    "golden_ideas",
    columns=[
        ("题目", "title"),
        ("提出人", "member__name"),
        ("所属工会", "union__name"),
        ("提交日期", "submitted_on"),
        ("状态", "status"),
    ],
    date_field="submitted_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计征集创新“金点子”条数：当年提交的金点子，不论是否采纳，每条计1条，"
        "按所属工会归属。统计期间：当年（按提交日期）。"
    ),
)
def golden_ideas(*, year: int, union: Union) -> QuerySet[GoldenIdea]:
    """征集创新“金点子”: ideas submitted in `year`, whatever became of them."""
    return GoldenIdea.objects.filter(submitted_on__year=year).filter(within_q(union))


@figure(
    "innovation_results",
    columns=[
        ("成果名称", "title"),
        ("类别", "kind"),
        ("所属工会", "union__name"),
        ("所在单位", "enterprise__name"),
        ("形成日期", "achieved_on"),
    ],
    date_field="achieved_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计职工创新成果项数：当年形成的职工创新成果，每项计1项，按所属工会归属"
        "。统计期间：当年（按成果形成日期）。"
    ),
)
def innovation_results(*, year: int, union: Union) -> QuerySet[InnovationResult]:
    """职工创新成果."""
    return InnovationResult.objects.filter(achieved_on__year=year).filter(within_q(union))


@figure(
    "technical_problems_solved",
    columns=[
        ("难题", "title"),
        ("受益企业", "enterprise__name"),
        ("所属工会", "union__name"),
        ("解决日期", "solved_on"),
    ],
    date_field="solved_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计为企业解决技术难题项数：当年解决的企业技术难题，每项计1项，按组织工"
        "会归属。统计期间：当年（按解决日期）。"
    ),
)
def technical_problems_solved(*, year: int, union: Union) -> QuerySet[TechnicalProblem]:
    """为企业解决技术难题."""
    return TechnicalProblem.objects.filter(solved_on__year=year).filter(within_q(union))
