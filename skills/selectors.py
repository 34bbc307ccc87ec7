"""Reads of the skills records. Lists take the viewer, so the tree scope cannot be forgotten;
figures take a year and a union (that union and everything under it).

Which year a record counts in:
- a competition counts in the year it starts (开展: a competition launched in December and
  finished in January is one of the year it was launched in, and counted once);
- an honour in its `year` (the year the title was conferred);
- a certification on its date, a session, visit, idea, result or solved problem on its date;
- a craftsman academy in every year it stands at year end (the card counts academies built);
- an innovation studio in the year it was named.
"""

import datetime as dt

from django.db.models import F, Q, QuerySet

from common.figures import figure
from members.models import Member, Union
from members.scoping import Viewer, scope_q, scope_queryset, within_q
from members.selectors import one_row_per_person
from skills.models import (
    BAIYE_QIANJIANG,
    Competition,
    CompetitionEntry,
    CraftsmanAcademy,
    CraftsmanVisit,
    GoldenIdea,
    Honour,
    InnovationResult,
    InnovationStudio,
    SkillCertification,
    SkillSession,
    StudioAlliance,
    TechnicalProblem,
)

# --- lists for the admin, the API and exports ---------------------------------------------------


def competition_list(*, viewer: Viewer) -> QuerySet[Competition]:
    return scope_queryset(Competition.objects.select_related("union"), viewer)


def entry_list(*, viewer: Viewer) -> QuerySet[CompetitionEntry]:
    """Entries the viewer may see: those of competitions their tree runs, and those of entrants
    from their tree (a township sees its members' entries in a city competition)."""
    return CompetitionEntry.objects.select_related("competition", "member", "union").filter(
        scope_q(viewer, "competition__union") | scope_q(viewer, "union")
    )


def honour_list(*, viewer: Viewer) -> QuerySet[Honour]:
    return scope_queryset(
        Honour.objects.select_related("member", "enterprise", "union", "competition"), viewer
    )


def certification_list(*, viewer: Viewer) -> QuerySet[SkillCertification]:
    return scope_queryset(SkillCertification.objects.select_related("member", "union"), viewer)


def session_list(*, viewer: Viewer) -> QuerySet[SkillSession]:
    return scope_queryset(SkillSession.objects.select_related("union", "enterprise"), viewer)


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


def visit_list(*, viewer: Viewer) -> QuerySet[CraftsmanVisit]:
    return scope_queryset(CraftsmanVisit.objects.select_related("union", "enterprise"), viewer)


def idea_list(*, viewer: Viewer) -> QuerySet[GoldenIdea]:
    return scope_queryset(GoldenIdea.objects.select_related("member", "union"), viewer)


def result_list(*, viewer: Viewer) -> QuerySet[InnovationResult]:
    return scope_queryset(
        InnovationResult.objects.select_related("union", "enterprise", "member", "studio"), viewer
    )


def problem_list(*, viewer: Viewer) -> QuerySet[TechnicalProblem]:
    return scope_queryset(TechnicalProblem.objects.select_related("union", "enterprise"), viewer)


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


def member_honours(*, member: Member) -> QuerySet[Honour]:
    """A member's own titles, newest first (for the portal)."""
    return Honour.objects.filter(member=member).order_by("-year", "kind")


def member_ideas(*, member: Member) -> QuerySet[GoldenIdea]:
    """A member's own golden ideas and what became of them (for the portal)."""
    return GoldenIdea.objects.filter(member=member).order_by("-submitted_on", "-id")


# --- figures (report-card keys whose app is `skills`) --------------------------------------------


COMPETITION_COLUMNS = [
    ("竞赛名称", "name"),
    ("级别", "level"),
    ("工种", "occupation"),
    ("组织工会", "union__name"),
    ("开始日期", "start_date"),
    ("结束日期", "end_date"),
]
HONOUR_COLUMNS = [
    ("称号", "kind"),
    ("年度", "year"),
    ("获得者", "member__name"),
    ("获得集体", "collective_name"),
    ("所属工会", "union__name"),
    ("授予单位", "awarding_body"),
]
SESSION_COLUMNS = [
    ("名称", "title"),
    ("组织工会", "union__name"),
    ("举办日期", "held_on"),
    ("参加人次", "headcount"),
]


def _honours(kinds: list[str], *, year: int, union: Union) -> QuerySet[Honour]:
    return Honour.objects.filter(kind__in=kinds, year=year).filter(within_q(union))


@figure(
    "national_may_day_medals",
    columns=HONOUR_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计全国五一劳动奖章（奖状）获得数：当年授予的全国五一劳动奖章（个人）与"
        "全国五一劳动奖状（集体）合计，每项荣誉计1项，按所属工会归属。统计期间："
        "荣誉年度为当年。"
    ),
)
def national_may_day_medals(*, year: int, union: Union) -> QuerySet[Honour]:
    """全国五一劳动奖章(奖状): medals to persons and awards (奖状) to collectives, together."""
    K = Honour.Kind
    return _honours([K.MAY_DAY_MEDAL, K.MAY_DAY_AWARD], year=year, union=union)


@figure(
    "national_pioneer_teams",
    columns=HONOUR_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计全国工人先锋号获得数：当年授予的全国工人先锋号集体荣誉，每项计1个，"
        "按所属工会归属。统计期间：荣誉年度为当年。"
    ),
)
def national_pioneer_teams(*, year: int, union: Union) -> QuerySet[Honour]:
    """全国工人先锋号 (a collective honour)."""
    return _honours([Honour.Kind.PIONEER_TEAM], year=year, union=union)


@figure(
    "provincial_model_workers",
    columns=HONOUR_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计省劳动模范人数：当年评选授予的浙江省劳动模范称号，一人一年一项，每项"
        "计1人，按所属工会归属。统计期间：荣誉年度为当年。"
    ),
)
def provincial_model_workers(*, year: int, union: Union) -> QuerySet[Honour]:
    """省劳动模范 named in `year` (one title per person per year: rows are persons)."""
    return _honours([Honour.Kind.PROVINCIAL_MODEL_WORKER], year=year, union=union)


@figure(
    "provincial_model_collectives",
    columns=HONOUR_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计省模范集体数：当年授予的浙江省模范集体荣誉，每项计1个，按所属工会归"
        "属。统计期间：荣誉年度为当年。"
    ),
)
def provincial_model_collectives(*, year: int, union: Union) -> QuerySet[Honour]:
    return _honours([Honour.Kind.PROVINCIAL_MODEL_COLLECTIVE], year=year, union=union)


@figure(
    "new_zhejiang_craftsmen",
    columns=HONOUR_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计新增浙江工匠人数：当年认定的浙江工匠称号，每项计1人，按所属工会归属"
        "。统计期间：荣誉年度为当年。"
    ),
)
def new_zhejiang_craftsmen(*, year: int, union: Union) -> QuerySet[Honour]:
    return _honours([Honour.Kind.ZHEJIANG_CRAFTSMAN], year=year, union=union)


@figure(
    "new_huzhou_craftsmen",
    columns=HONOUR_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计新增湖州工匠人数：当年认定的湖州工匠称号，每项计1人，按所属工会归属"
        "。统计期间：荣誉年度为当年。"
    ),
)
def new_huzhou_craftsmen(*, year: int, union: Union) -> QuerySet[Honour]:
    return _honours([Honour.Kind.HUZHOU_CRAFTSMAN], year=year, union=union)


@figure(
    "great_craftsman_candidates",
    columns=HONOUR_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计大国工匠浙江培育对象入选人数：当年入选的大国工匠浙江培育对象，每项计"
        "1人，按所属工会归属。统计期间：荣誉年度为当年。"
    ),
)
def great_craftsman_candidates(*, year: int, union: Union) -> QuerySet[Honour]:
    return _honours([Honour.Kind.GREAT_CRAFTSMAN_CANDIDATE], year=year, union=union)


@figure(
    "golden_blue_collar",
    columns=HONOUR_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计浙江金蓝领人数：当年获评的浙江金蓝领称号，每项计1人，按所属工会归属"
        "。统计期间：荣誉年度为当年。"
    ),
)
def golden_blue_collar(*, year: int, union: Union) -> QuerySet[Honour]:
    return _honours([Honour.Kind.GOLDEN_BLUE_COLLAR], year=year, union=union)


@figure(
    "technical_experts",
    columns=HONOUR_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计市技术能手人数：当年授予的湖州市技术能手称号（竞赛获得或其他途径），"
        "每项计1人，按所属工会归属。统计期间：荣誉年度为当年。"
    ),
)
def technical_experts(*, year: int, union: Union) -> QuerySet[Honour]:
    """市技术能手 named in `year` (from competitions or otherwise)."""
    return _honours([Honour.Kind.TECHNICAL_EXPERT], year=year, union=union)


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


@figure(
    "new_skilled_talents",
    columns=[
        ("姓名", "name"),
        ("公民身份号码", "id_number_masked"),
        ("所属工会", "union__name"),
        ("工作单位", "enterprise__name"),
    ],
    union_path="skill_certifications__union",
    aggregate="distinct_persons",
    definition=(
        "统计新增技能人才人数：当年取得职业技能等级认定的会员，按公民身份号码去重"
        "（同一人当年多次认定只计1人；次年晋级再计），计入其认定时所在工会。统计"
        "期间：当年（按认定日期）。"
    ),
    reach=lambda *, year, union: _certified(year=year, union=union).values_list(
        "union", "member__id_number_hash"
    ),
)
def new_skilled_talents(*, year: int, union: Union) -> QuerySet[Member]:
    """新增技能人才 (persons): members certified at a skill level during `year`, counted under the
    union they were certified in. One person certified twice in the year (even under two
    memberships) counts once; a person
    who moves up a level counts again in the year of the new level."""
    certified = _certified(year=year, union=union)
    return one_row_per_person(Member.objects.filter(pk__in=certified.values("member_id")))


def _certified(*, year: int, union: Union) -> QuerySet[SkillCertification]:
    return SkillCertification.objects.filter(certified_on__year=year).filter(within_q(union))


@figure(
    "skill_training_sessions",
    columns=SESSION_COLUMNS,
    date_field="held_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计技术培训场次：当年举办的技术培训，每场计1场，按组织工会归属。统计期"
        "间：当年（按举办日期）。"
    ),
)
def skill_training_sessions(*, year: int, union: Union) -> QuerySet[SkillSession]:
    """技术培训场次."""
    return SkillSession.objects.filter(kind=SkillSession.Kind.TRAINING, held_on__year=year).filter(
        within_q(union)
    )


def _drills(*, year: int, union: Union) -> QuerySet[SkillSession]:
    return SkillSession.objects.filter(kind=SkillSession.Kind.DRILL, held_on__year=year).filter(
        within_q(union)
    )


@figure(
    "job_drill_events",
    columns=SESSION_COLUMNS,
    date_field="held_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计岗位练兵场次：当年开展的岗位练兵，每场计1场，按组织工会归属。统计期"
        "间：当年（按举办日期）。"
    ),
)
def job_drill_events(*, year: int, union: Union) -> QuerySet[SkillSession]:
    """岗位练兵场次."""
    return _drills(year=year, union=union)


@figure(
    "job_drill_person_times",
    total="headcount",
    columns=SESSION_COLUMNS,
    date_field="held_on",
    union_path="union",
    aggregate="sum",
    definition=(
        "统计岗位练兵覆盖职工人次：当年各场岗位练兵的参加人次相加，同一职工参加两"
        "场计2人次，不去重，按组织工会归属。统计期间：当年（按举办日期）。"
    ),
)
def job_drill_person_times(*, year: int, union: Union) -> QuerySet[SkillSession]:
    """岗位练兵覆盖职工人次: the drills' headcounts added up (a worker in two drills counts twice)."""
    return _drills(year=year, union=union)


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


def member_certifications(*, member: Member) -> QuerySet[SkillCertification]:
    """The person's own skill certificates (any membership of theirs), newest first (the portal)."""
    return SkillCertification.objects.filter(member__id_number_hash=member.id_number_hash).order_by(
        "-certified_on", "-pk"
    )
