"""Reads from the registry. Every list takes the viewer, so the tree scope cannot be forgotten;
figures for the dashboard take a year and a union (that union and everything under it)."""

import datetime as dt
import re

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Case, Max, OuterRef, Q, QuerySet, Subquery, Value, When

from common.figures import figure
from members import crypto
from members.models import Enterprise, IdNumberAccess, Member, MemberTransfer, Union
from members.scoping import (
    Viewer,
    in_scope,
    scope_q,
    scope_queryset,
    sees_whole_city,
    within_q,
)
from members.validators import parse_id_number


def union_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Union]:
    qs = scope_queryset(Union.objects.select_related("parent"), viewer, union_field="")
    filters = filters or {}
    if level := filters.get("level"):
        qs = qs.filter(level=level)
    if within := filters.get("within"):
        qs = qs.filter(within_q(within, ""))
    return qs


def enterprise_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Enterprise]:
    """Enterprises in the viewer's tree. Filters: `union` (a Union: it and everything under it),
    `above_designated_size`, `is_state_owned` (booleans; None or absent: either), `industry` (a
    GB/T 4754 section letter), `search` (a name fragment, or an exact credit code)."""
    qs = scope_queryset(Enterprise.objects.select_related("union"), viewer)
    filters = filters or {}
    if union := filters.get("union"):
        qs = qs.filter(within_q(union))
    for flag in ("above_designated_size", "is_state_owned"):
        if filters.get(flag) is not None:
            qs = qs.filter(**{flag: filters[flag]})
    if industry := filters.get("industry"):
        qs = qs.filter(industry=industry)
    if search := (filters.get("search") or "").strip():
        qs = qs.filter(enterprise_search_q(search))
    return qs


def enterprise_search_q(term: str) -> Q:
    return Q(name__icontains=term) | Q(credit_code=term.upper())


def member_list(*, viewer: Viewer, filters: dict | None = None) -> QuerySet[Member]:
    """Members in the viewer's tree. Filters: `search` (name, phone, or an exact ID number, matched
    by its keyed hash), `union` (a Union: it and everything under it), `status`."""
    qs = scope_queryset(Member.objects.select_related("union", "enterprise"), viewer)
    filters = filters or {}
    if search := (filters.get("search") or "").strip():
        qs = qs.filter(member_search_q(search))
    if union := filters.get("union"):
        qs = qs.filter(within_q(union))
    if status := filters.get("status"):
        qs = qs.filter(status=status)
    return qs


FULL_ID_RE = re.compile(r"^\d{17}[\dXx]$")


def looks_like_full_id_number(term: str) -> bool:
    """18 characters shaped like a resident ID number, valid or not: such a term must not travel
    in a URL (the address bar, the access logs), so GET searches refuse it; `member_lookup`
    answers it from a POST body instead."""
    return bool(FULL_ID_RE.match((term or "").strip()))


def member_lookup(*, viewer: Viewer, id_number: str) -> QuerySet[Member]:
    """The viewer's members (active or left) holding `id_number`, found by its keyed hash.
    Raises ValidationError if it is not a valid ID number."""
    number = parse_id_number(id_number).number
    return member_list(viewer=viewer).filter(id_number_hash=crypto.hash_id_number(number))


def member_search_q(term: str) -> Q:
    """An 18-character term that is a valid ID number is looked up by hash; a term of digits is a
    phone number's beginning; anything else is a name: one or two characters (a surname, or a
    two-character name) match the name's beginning, three or more anywhere in it.

    Each branch is one index at city scale (members/migrations/0004_search_indexes.py, 0009): the
    hash's btree, the phone's and the name's pattern btrees (LIKE 'term%'; the admin list's first
    page walks its order index with the name in it, `member_list_order_idx`), the name's trigram
    GIN (UPPER(name) LIKE '%TERM%'; a trigram needs three characters, so a shorter term would read
    the whole index)."""
    if len(term) == 18:
        try:
            number = parse_id_number(term).number
        except ValidationError:  # not an ID number: fall through to a text search
            pass
        else:
            return Q(id_number_hash=crypto.hash_id_number(number))
    if term.isdigit():
        return Q(phone__startswith=term)
    if len(term) < NAME_CONTAINS_FROM:
        return Q(name__startswith=term)
    return Q(name__icontains=term)


NAME_CONTAINS_FROM = 3  # characters: the shortest term a trigram index serves


def transfer_list(*, viewer: Viewer) -> QuerySet[MemberTransfer]:
    """Transfers that either side of the viewer's tree is party to. The receiving side sees the
    member only once the union left has approved the move out (`transfer_shows_member`)."""
    shown = transfer_shows_member_q(viewer)
    return (
        MemberTransfer.objects.select_related(
            "member", "from_union", "to_union", "requested_by", "out_decided_by", "in_decided_by"
        )
        .filter(scope_q(viewer, "from_union") | scope_q(viewer, "to_union"))
        .annotate(
            shows_member=Value(True)
            if not shown
            else Case(When(shown, then=Value(True)), default=Value(False))
        )
    )


def transfer_shows_member(transfer: MemberTransfer, *, viewer: Viewer) -> bool:
    """Whether `viewer` may see who is being transferred (name, masked ID, union and employer
    left): the union left always; the union joined only after the union left let them go, so a
    request started by ID number and name echoes nothing until then."""
    if in_scope(viewer, transfer.from_union):
        return True
    return transfer.out_decided_at is not None and transfer.status in (
        MemberTransfer.Status.PENDING_IN,
        MemberTransfer.Status.COMPLETED,
        MemberTransfer.Status.REFUSED_IN,
    )


def transfer_shows_member_q(viewer: Viewer) -> Q:
    """`transfer_shows_member` as a filter (empty: every transfer, for the whole city)."""
    if sees_whole_city(viewer):
        return Q()
    return scope_q(viewer, "from_union") | Q(
        out_decided_at__isnull=False,
        status__in=[
            MemberTransfer.Status.PENDING_IN,
            MemberTransfer.Status.COMPLETED,
            MemberTransfer.Status.REFUSED_IN,
        ],
    )


def transfers_awaiting_q(viewer: Viewer) -> Q:
    """Transfers waiting for a decision of the viewer's tree: the move out of a union in it, or,
    once the union left has approved, the move into one."""
    S = MemberTransfer.Status
    return (Q(status=S.PENDING_OUT) & scope_q(viewer, "from_union")) | (
        Q(status=S.PENDING_IN) & scope_q(viewer, "to_union")
    )


def transfer_awaits(transfer: MemberTransfer, *, viewer: Viewer) -> bool:
    """Whether `transfer` waits for a decision of the viewer's tree now (`transfers_awaiting_q`
    for one transfer): the union left decides first, the union joined only after it."""
    S = MemberTransfer.Status
    if transfer.status == S.PENDING_OUT:
        return in_scope(viewer, transfer.from_union)
    if transfer.status == S.PENDING_IN:
        return in_scope(viewer, transfer.to_union)
    return False


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
    return Member.objects.filter(within_q(union))


MEMBER_COLUMNS = [
    ("姓名", "name"),
    ("公民身份号码", "id_number_masked"),
    ("所属工会", "union__name"),
    ("工作单位", "enterprise__name"),
    ("就业形态", "employment_form"),
    ("入会日期", "joined_on"),
]
GIG_MEMBER_COLUMNS = [*MEMBER_COLUMNS, ("入会时就业形态", "employment_form_at_joining")]


@figure(
    "registered_members",
    columns=MEMBER_COLUMNS,
    union_path="union",
    aggregate="sum",
    definition=(
        "统计年末在册会员数：会员实名制库中入会日期不晚于当年12月31日、且当日"
        "未离会的会籍记录，按所属工会归属；一人同一时间只有一条在会会籍。统计时点"
        "：当年12月31日（存量）。"
    ),
)
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
    columns=GIG_MEMBER_COLUMNS,
    date_field="joined_on",
    union_path="union",
    aggregate="distinct_persons",
    # Dated pairs: a person counts under a node from their first joining within its subtree, so
    # the months come from the earliest date per (node, person), as the records function's
    # first membership does node by node.
    reach=lambda *, year, union: _gig_joined(year=year, union=union).values_list(
        "union", "id_number_hash", "joined_on"
    ),
    definition=(
        "统计当年新增的新就业形态劳动者会员人数：当年1月1日至12月31日入会、"
        "且入会时登记的就业形态（入会时就业形态字段，不随此后变更）为新就业形态的"
        "会籍；按公民身份号码去重，同一人当年多次入会只计1人，计入其当年首次入会"
        "的工会。统计期间：当年。"
    ),
)
def new_gig_worker_members(*, year: int, union: Union) -> QuerySet[Member]:
    """新增新业态劳动者会员 (persons): persons who joined during `year` in a new form of
    employment as recorded when they joined (`employment_form_at_joining`, not today's form),
    one row each (their first such membership of the year, so the person counts from the day
    they first joined: the months stay right): a courier who joined, left and rejoined within the
    year is one new member."""
    joined = _gig_joined(year=year, union=union)
    # The first membership of each person: a correlated subquery rather than DISTINCT ON, which
    # the embedded SQLite demo does not have.
    earliest = joined.filter(id_number_hash=OuterRef("id_number_hash")).order_by("joined_on", "pk")
    first = joined.filter(pk=Subquery(earliest.values("pk")[:1]))
    return Member.objects.filter(pk__in=first.values("pk")).select_related("union", "enterprise")


def _gig_joined(*, year: int, union: Union) -> QuerySet[Member]:
    """Memberships of `union`'s subtree begun during `year` in a new form of employment."""
    return (
        members_in(union=union)
        .filter(joined_on__year=year)
        .exclude(employment_form_at_joining=Member.EmploymentForm.STANDARD)
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
    definition=(
        "统计产业工人队伍建设改革试点国有企业数：企业库中标记为国有企业、且试点年"
        "份不晚于当年的企业，按企业所属工会归属，每家企业计1家。统计时点：当年末"
        "（累计至当年）。"
    ),
)
def soe_reform_pilots(*, year: int, union: Union) -> QuerySet[Enterprise]:
    """产改试点国企: state-owned enterprises made reform pilots in or before `year`."""
    return Enterprise.objects.filter(
        within_q(union),
        is_state_owned=True,
        reform_pilot_year__isnull=False,
        reform_pilot_year__lte=year,
    )


def member_own_transfers(*, member: Member) -> QuerySet[MemberTransfer]:
    """The person's own transfer requests (any membership of theirs), newest first (the portal)."""
    return (
        MemberTransfer.objects.filter(member__id_number_hash=member.id_number_hash)
        .select_related("from_union", "to_union")
        .order_by("-requested_at", "-pk")
    )


# The receiving union of a member's own transfer is chosen from the whole city (union names and
# codes are not personal data; `city_wide` in members.scoping): first a township, then one of
# the grassroots unions under it. The portal's page and the member API offer the same lists.
RECEIVING_UNIONS_SHOWN = 300


def transfer_townships() -> QuerySet[Union]:
    """Every township or street union (乡镇/街道) of the city, by code: the first step of the
    receiving-union picker."""
    return (
        Union.objects.filter(level=Union.Level.TOWNSHIP).select_related("parent").order_by("code")
    )


def transfer_receiving_unions(*, township: Union | None = None) -> QuerySet[Union]:
    """The grassroots unions (joint unions included) a membership can move to, by code: those
    under `township`, or the whole city's when it is None (a code typed in is looked up here)."""
    unions = Union.objects.filter(level=Union.Level.GRASSROOTS)
    if township is not None:
        unions = unions.filter(within_q(township, ""))
    return unions.order_by("code")
