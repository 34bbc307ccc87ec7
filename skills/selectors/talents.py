"""Reads of 技能人才 (certifications, training sessions and drills): the scoped lists, the member's
own records and the report-card figures."""

from django.db.models import QuerySet

from common.figures import figure
from members.models import Member, Union
from members.scoping import Viewer, scope_queryset, within_q
from members.selectors import one_row_per_person
from skills.models import (
    SkillCertification,
    SkillSession,
)


def certification_list(*, viewer: Viewer) -> QuerySet[SkillCertification]:
    return scope_queryset(SkillCertification.objects.select_related("member", "union"), viewer)


def session_list(*, viewer: Viewer) -> QuerySet[SkillSession]:
    return scope_queryset(SkillSession.objects.select_related("union", "enterprise"), viewer)


SESSION_COLUMNS = [
    ("名称", "title"),
    ("组织工会", "union__name"),
    ("举办日期", "held_on"),
    ("参加人次", "headcount"),
]


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


def member_certifications(*, member: Member) -> QuerySet[SkillCertification]:
    """The person's own skill certificates (any membership of theirs), newest first (the portal)."""
    return SkillCertification.objects.filter(member__id_number_hash=member.id_number_hash).order_by(
        "-certified_on", "-pk"
    )
