"""Reads of 荣誉 (honours: medals, model workers, craftsmen): the scoped lists, the member's own
records and the report-card figures."""

from django.db.models import QuerySet

from common.figures import figure
from members.models import Member, Union
from members.scoping import Viewer, scope_queryset, within_q
from skills.models import (
    Honour,
)


def honour_list(*, viewer: Viewer) -> QuerySet[Honour]:
    return scope_queryset(
        Honour.objects.select_related("member", "enterprise", "union", "competition"), viewer
    )


def member_honours(*, member: Member) -> QuerySet[Honour]:
    """A member's own titles, newest first (for the portal)."""
    return Honour.objects.filter(member=member).order_by("-year", "kind")


HONOUR_COLUMNS = [
    ("称号", "kind"),
    ("年度", "year"),
    ("获得者", "member__name"),
    ("获得集体", "collective_name"),
    ("所属工会", "union__name"),
    ("授予单位", "awarding_body"),
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
