"""Reads from the registry. Every list takes the viewer, so the tree scope cannot be forgotten;
figures for the dashboard take a year and a union (that union and everything under it)."""

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Max, Q, QuerySet

from common.figures import figure
from members import crypto
from members.models import Enterprise, IdNumberAccess, Member, MemberTransfer, Union
from members.scoping import Viewer, scope_queryset
from members.validators import parse_id_number


def union_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Union]:
    qs = scope_queryset(Union.objects.select_related("parent"), viewer, union_field="")
    filters = filters or {}
    if level := filters.get("level"):
        qs = qs.filter(level=level)
    if within := filters.get("within"):
        qs = qs.filter(path__startswith=within.path)
    return qs


def enterprise_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Enterprise]:
    return scope_queryset(Enterprise.objects.select_related("union"), viewer)


def member_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Member]:
    """Members in the viewer's tree. Filters: `search` (name, phone, or an exact ID number, matched
    by its keyed hash), `union` (a Union: it and everything under it), `status`."""
    qs = scope_queryset(Member.objects.select_related("union", "enterprise"), viewer)
    filters = filters or {}
    if search := (filters.get("search") or "").strip():
        qs = qs.filter(member_search_q(search))
    if union := filters.get("union"):
        qs = qs.filter(union__path__startswith=union.path)
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    return qs


def member_search_q(term: str) -> Q:
    """An 18-character term that is a valid ID number is looked up by hash; anything else matches
    names and phone numbers."""
    if len(term) == 18:
        try:
            number = parse_id_number(term).number
        except ValidationError:  # not an ID number: fall through to a text search
            pass
        else:
            return Q(id_number_hash=crypto.hash_id_number(number))
    return Q(name__icontains=term) | Q(phone__startswith=term)


def transfer_list(*, viewer: Viewer) -> QuerySet[MemberTransfer]:
    """Transfers that either side of the viewer's tree is party to."""
    from members.scoping import scope_q

    return MemberTransfer.objects.select_related(
        "member", "from_union", "to_union", "requested_by", "out_decided_by", "in_decided_by"
    ).filter(scope_q(viewer, "from_union") | scope_q(viewer, "to_union"))


def id_access_list(*, viewer: User) -> QuerySet[IdNumberAccess]:
    return scope_queryset(
        IdNumberAccess.objects.select_related("user", "member"), viewer, "member__union"
    )


# --- figures (report-card keys whose app is `members`) --------------------------------------


def one_row_per_person(members: QuerySet[Member]) -> QuerySet[Member]:
    """The latest membership of each person among `members`. A worker who left and rejoined has
    two membership rows under one ID number; a figure counted in persons (人) counts them once."""
    latest = members.values("id_number_hash").annotate(last=Max("pk")).values("last")
    return Member.objects.filter(pk__in=latest)


def members_in(*, union: Union) -> QuerySet[Member]:
    return Member.objects.filter(union__path__startswith=union.path)


MEMBER_COLUMNS = [
    ("姓名", "name"),
    ("公民身份号码", "id_number_masked"),
    ("所属工会", "union__name"),
    ("工作单位", "enterprise__name"),
    ("就业形态", "employment_form"),
    ("入会日期", "joined_on"),
]


@figure("registered_members", columns=MEMBER_COLUMNS, union_path="union", aggregate="sum")
def registered_members(*, year: int, union: Union) -> QuerySet[Member]:
    """会员实名制数据库会员数: members on the register at the end of `year` (joined by 31 December
    and not left by then)."""
    end = dt.date(year, 12, 31)
    return (
        members_in(union=union)
        .filter(joined_on__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
    )


@figure(
    "new_gig_worker_members",
    columns=MEMBER_COLUMNS,
    date_field="joined_on",
    union_path="union",
    aggregate="sum",
)
def new_gig_worker_members(*, year: int, union: Union) -> QuerySet[Member]:
    """新增新业态劳动者会员: members in a new form of employment who joined during `year`."""
    return (
        members_in(union=union)
        .filter(joined_on__year=year)
        .exclude(employment_form=Member.EmploymentForm.STANDARD)
    )


@figure(
    "soe_reform_pilots",
    columns=[
        ("企业", "name"),
        ("统一社会信用代码", "credit_code"),
        ("试点年份", "reform_pilot_year"),
    ],
    union_path="union",
    aggregate="sum",
)
def soe_reform_pilots(*, year: int, union: Union) -> QuerySet[Enterprise]:
    """产改试点国企: state-owned enterprises made reform pilots in or before `year`."""
    return Enterprise.objects.filter(
        union__path__startswith=union.path,
        is_state_owned=True,
        reform_pilot_year__isnull=False,
        reform_pilot_year__lte=year,
    )
