"""Every report-card figure of the activities app, computed from records with known counts,
including the edges: 31 December late at night, 1 January just after midnight (still 31 December
in UTC), a member at two sessions, a headcount-only show, and a union outside the scope."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import Activity, ActivityKind
from common.figures import REGISTRY, load_all
from tests.activities.factories import (
    ActivityFactory,
    AttendanceFactory,
    CulturePositionFactory,
    ReachFactory,
    local,
)
from tests.factories import EnterpriseFactory, MemberFactory

pytestmark = pytest.mark.django_db

ACTIVITY_KEYS = {
    "pre_shift_person_times",
    "pre_shift_organisations",
    "model_worker_lectures",
    "culture_to_grassroots_events",
    "interest_group_activities",
    "double_hundred_activities",
    "member_day_events",
    "township_culture_positions",
}


def value(key: str, year: int, union) -> Decimal:
    return REGISTRY[key].compute(year=year, union=union)


def test_every_activities_key_of_the_report_card_is_declared_here():
    # given / when
    figures = load_all()

    # then
    assert {k for k, f in figures.items() if f.app == "activities"} == ACTIVITY_KEYS


def test_pre_shift_person_times_counts_named_and_headcount_once_per_session(tree):
    # given
    m1, m2, m3 = (MemberFactory(union=tree.zhili_factory) for _ in range(3))
    s1 = ActivityFactory(union=tree.zhili_factory, starts_at=local(2024, 3, 1), headcount=5)
    AttendanceFactory(activity=s1, member=m1)
    AttendanceFactory(activity=s1, member=m2)
    # 23:30 on 31 December: this year; m1 again (a member at two sessions counts twice)
    s2 = ActivityFactory(union=tree.balidian_factory, starts_at=local(2024, 12, 31, 23, 30))
    AttendanceFactory(activity=s2, member=m1)
    # a headcount-only session
    ActivityFactory(union=tree.zhili, starts_at=local(2024, 9, 9), headcount=40)
    # outside 吴兴
    s3 = ActivityFactory(union=tree.shuanglin_factory, starts_at=local(2024, 5, 5), headcount=10)
    AttendanceFactory(activity=s3, member=m3)
    # 00:30 on 1 January 2025 in Huzhou is still 31 December in UTC: next year's
    s4 = ActivityFactory(union=tree.zhili_factory, starts_at=local(2025, 1, 1, 0, 30))
    AttendanceFactory(activity=s4, member=m2)
    # the year before, and a lecture (not a pre-shift session)
    ActivityFactory(union=tree.zhili_factory, starts_at=local(2023, 12, 31, 23, 59), headcount=7)
    lecture = ActivityFactory(
        code=ActivityKind.LECTURE, union=tree.zhili_factory, starts_at=local(2024, 4, 1)
    )
    AttendanceFactory(activity=lecture, member=m3)

    # when / then
    assert value("pre_shift_person_times", 2024, tree.city) == Decimal(2 + 5 + 1 + 40 + 1 + 10)
    assert value("pre_shift_person_times", 2024, tree.wuxing) == Decimal(2 + 5 + 1 + 40)
    assert value("pre_shift_person_times", 2024, tree.zhili) == Decimal(2 + 5 + 40)
    assert value("pre_shift_person_times", 2024, tree.nanxun) == Decimal(11)
    assert value("pre_shift_person_times", 2025, tree.city) == Decimal(1)
    assert value("pre_shift_person_times", 2023, tree.city) == Decimal(7)


def test_pre_shift_person_times_rows_keep_named_and_headcount_apart(tree):
    # given
    session = ActivityFactory(union=tree.zhili_factory, starts_at=local(2024, 3, 1), headcount=5)
    AttendanceFactory(activity=session, member=MemberFactory(union=tree.zhili_factory))

    # when
    row = REGISTRY["pre_shift_person_times"].records(year=2024, union=tree.city).get()

    # then
    assert (row.named_count, row.headcount, row.person_times) == (1, 5, 6)


def test_pre_shift_organisations_counts_each_enterprise_once(tree):
    # given
    e1 = EnterpriseFactory(union=tree.zhili_factory)
    e2 = EnterpriseFactory(union=tree.balidian_factory)
    e3 = EnterpriseFactory(union=tree.shuanglin_factory)
    s1 = ActivityFactory(union=tree.zhili_factory, starts_at=local(2024, 3, 1))
    ReachFactory(activity=s1, enterprise=e1, team="一车间")
    ReachFactory(activity=s1, enterprise=e1, team="二车间")
    s2 = ActivityFactory(union=tree.zhili, starts_at=local(2024, 12, 31, 22, 0))
    ReachFactory(activity=s2, enterprise=e1)
    s3 = ActivityFactory(union=tree.balidian_factory, starts_at=local(2024, 7, 1))
    ReachFactory(activity=s3, enterprise=e2)
    s4 = ActivityFactory(union=tree.shuanglin_factory, starts_at=local(2024, 7, 1))
    ReachFactory(activity=s4, enterprise=e3)
    next_year = ActivityFactory(union=tree.shuanglin_factory, starts_at=local(2025, 1, 1, 0, 5))
    ReachFactory(activity=next_year, enterprise=EnterpriseFactory(union=tree.shuanglin_factory))
    show = ActivityFactory(
        code=ActivityKind.CULTURE_SHOW, union=tree.zhili, starts_at=local(2024, 2, 2)
    )
    ReachFactory(activity=show, enterprise=EnterpriseFactory(union=tree.zhili_factory))

    # when / then
    assert value("pre_shift_organisations", 2024, tree.city) == Decimal(3)
    assert value("pre_shift_organisations", 2024, tree.wuxing) == Decimal(2)
    assert value("pre_shift_organisations", 2024, tree.zhili) == Decimal(1)
    assert value("pre_shift_organisations", 2025, tree.city) == Decimal(1)


def test_model_worker_lectures_count_lectures_by_model_workers_only(tree):
    # given
    mw = Activity.SpeakerKind.MODEL_WORKER
    lecture = ActivityKind.LECTURE
    ActivityFactory(code=lecture, union=tree.wuxing, starts_at=local(2024, 9, 1), speaker_kind=mw)
    ActivityFactory(
        code=lecture, union=tree.zhili, starts_at=local(2024, 12, 31, 22), speaker_kind=mw
    )
    ActivityFactory(
        code=lecture,
        union=tree.zhili,
        starts_at=local(2024, 5, 1),
        speaker_kind=Activity.SpeakerKind.PARTY_SCHOOL,
    )
    ActivityFactory(code=lecture, union=tree.nanxun, starts_at=local(2024, 5, 1), speaker_kind=mw)
    ActivityFactory(union=tree.zhili, starts_at=local(2024, 5, 1), speaker_kind=mw)  # pre-shift
    ActivityFactory(code=lecture, union=tree.zhili, starts_at=local(2025, 1, 1, 0, 1))

    # when / then
    assert value("model_worker_lectures", 2024, tree.wuxing) == Decimal(2)
    assert value("model_worker_lectures", 2024, tree.city) == Decimal(3)
    assert value("model_worker_lectures", 2024, tree.zhili) == Decimal(1)


@pytest.mark.parametrize(
    ("key", "code"),
    [
        ("culture_to_grassroots_events", ActivityKind.CULTURE_SHOW),
        ("interest_group_activities", ActivityKind.INTEREST_GROUP),
        ("double_hundred_activities", ActivityKind.DOUBLE_HUNDRED),
    ],
)
def test_event_counts_count_the_years_events_of_their_kind_in_the_subtree(tree, key, code):
    # given: a headcount-only show, one on 31 December, one outside 吴兴, one next year
    ActivityFactory(code=code, union=tree.zhili, starts_at=local(2024, 3, 1), headcount=300)
    ActivityFactory(code=code, union=tree.balidian_factory, starts_at=local(2024, 12, 31, 20))
    ActivityFactory(code=code, union=tree.shuanglin, starts_at=local(2024, 6, 1))
    ActivityFactory(code=code, union=tree.zhili, starts_at=local(2025, 1, 1, 0, 30))
    ActivityFactory(union=tree.zhili, starts_at=local(2024, 6, 1))  # another kind

    # when / then
    assert value(key, 2024, tree.wuxing) == Decimal(2)
    assert value(key, 2024, tree.city) == Decimal(3)
    assert value(key, 2024, tree.nanxun) == Decimal(1)
    assert value(key, 2025, tree.city) == Decimal(1)


def test_member_days_count_the_months_held_online_or_offline(tree):
    # given
    code = ActivityKind.MEMBER_DAY
    for month in (1, 2, 12):
        ActivityFactory(code=code, union=tree.wuxing, starts_at=local(2024, month, 20, 19))
    ActivityFactory(code=code, union=tree.zhili, starts_at=local(2024, 5, 20), is_online=True)
    ActivityFactory(code=code, union=tree.nanxun, starts_at=local(2024, 5, 20))

    # when / then: 会员日 is a month's event: five events in four months are four member days
    assert value("member_day_events", 2024, tree.wuxing) == Decimal(4)
    assert value("member_day_events", 2024, tree.city) == Decimal(4)
    assert value("member_day_events", 2024, tree.nanxun) == Decimal(1)


def test_township_culture_positions_count_the_years_positions_of_township_unions(tree):
    # given
    CulturePositionFactory(union=tree.zhili, opened_on=dt.date(2024, 1, 1))
    CulturePositionFactory(union=tree.balidian, opened_on=dt.date(2024, 12, 31))
    CulturePositionFactory(union=tree.shuanglin, opened_on=dt.date(2024, 6, 1))
    CulturePositionFactory(union=tree.zhili, opened_on=dt.date(2023, 12, 31))
    CulturePositionFactory(
        union=tree.zhili_factory, opened_on=dt.date(2024, 6, 1)
    )  # not a township

    # when / then
    assert value("township_culture_positions", 2024, tree.wuxing) == Decimal(2)
    assert value("township_culture_positions", 2024, tree.city) == Decimal(3)
    assert value("township_culture_positions", 2024, tree.zhili) == Decimal(1)
    assert value("township_culture_positions", 2023, tree.city) == Decimal(1)
