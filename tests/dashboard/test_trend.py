"""The months, the same date last year and the projection come from the records' own dates (each
figure's `date_field`), computed when the roll-up runs, not from when past roll-ups happened to run:
a year rolled up long after it closed still shows its twelve months."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.core.management import CommandError, call_command
from django.utils import timezone

from activities.models import Activity, ActivityKind
from common.figures import REGISTRY, date_field_of, load_all
from dashboard import selectors, services
from dashboard.models import Snapshot, SnapshotValue
from members.actors import SYSTEM
from members.models import Member, Union
from tests.activities.factories import ActivityFactory, local
from tests.dashboard.factories import member

pytestmark = pytest.mark.django_db

SHOWS = "culture_to_grassroots_events"  # a count of activities, dated by `starts_at`
PRE_SHIFT = "pre_shift_person_times"  # a sum (person-times), dated by `starts_at`
GIG = "new_gig_worker_members"  # a count of members, dated by `joined_on` (a DateField)
STOCK = "registered_members"  # members on the register at year end: no date_field


def figures(*keys: str) -> dict:
    load_all()
    return {key: REGISTRY[key] for key in keys}


def show(union: Union, at: dt.datetime, **kwargs) -> Activity:
    return ActivityFactory(code=ActivityKind.CULTURE_SHOW, union=union, starts_at=at, **kwargs)


def current_row(key: str, union: Union) -> SnapshotValue:
    return SnapshotValue.objects.get(snapshot__is_current=True, indicator__key=key, union=union)


@pytest.fixture
def at_noon_on_1_july_2025(monkeypatch):
    """The roll-up runs at 12:00 on 1 July 2025, Huzhou time (day 182 of 365)."""
    moment = dt.datetime(2025, 7, 1, 12, tzinfo=timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


# --- the contract ---------------------------------------------------------------------------------


def test_every_figures_date_field_is_none_or_a_date_on_its_records(tree):
    # given: every figure the apps declare
    registry = load_all()
    dated = [f for f in registry.values() if f.date_field is not None]
    assert len(dated) >= 20  # the flows dated by their records (see the selectors)

    for fig in dated:
        # when: the lookup is resolved on the model of the queryset the figure counts
        model = fig.records(year=2024, union=tree.city).model
        field = date_field_of(model, fig.date_field)

        # then: it is a date or datetime, and the cut-off filter compiles against the records
        assert field.get_internal_type() in ("DateField", "DateTimeField"), fig.key
        fig.compute_until(year=2024, union=tree.city, until=dt.date(2024, 6, 30))


def test_a_date_field_that_is_not_there_or_not_a_date_is_refused():
    with pytest.raises(FieldDoesNotExist):
        date_field_of(Activity, "starts_on")
    with pytest.raises(ValueError, match="not a date"):
        date_field_of(Activity, "union__name")
    with pytest.raises(ValueError, match="no date_field"):
        REGISTRY[STOCK].compute_until(year=2024, union=None, until=dt.date(2024, 1, 1))


def test_compute_until_counts_a_datetime_on_its_local_day(tree):
    # given: a show at 23:30 on 31 December 2024 in Huzhou, which is 15:30 UTC the same day, and
    # one at 00:30 on 1 December local (16:30 UTC on 30 November)
    late = show(tree.zhili_factory, local(2024, 12, 31, 23, 30))
    assert late.starts_at.astimezone(dt.UTC) == dt.datetime(2024, 12, 31, 15, 30, tzinfo=dt.UTC)
    show(tree.zhili_factory, local(2024, 12, 1, 0, 30))
    fig = figures(SHOWS)[SHOWS]

    # when / then
    until = [
        fig.compute_until(year=2024, union=tree.city, until=dt.date(2024, 11, 30)),
        fig.compute_until(year=2024, union=tree.city, until=dt.date(2024, 12, 1)),
        fig.compute_until(year=2024, union=tree.city, until=dt.date(2024, 12, 30)),
        fig.compute_until(year=2024, union=tree.city, until=dt.date(2024, 12, 31)),
    ]
    assert until == [0, 1, 1, 2]


# --- the months ---------------------------------------------------------------------------------


def test_a_past_year_rolled_up_later_has_its_twelve_months_from_the_records(tree):
    # given: 3 shows in March and 2 in July in 吴兴, one at 23:30 on 31 December in 南浔 (15:30
    # UTC), and one at 00:30 on 1 January 2025 (still 31 December in UTC: not 2024's)
    for day in (1, 15, 31):
        show(tree.zhili_factory, local(2024, 3, day, 19, 0))
    for day in (1, 31):
        show(tree.balidian_factory, local(2024, 7, day, 9, 0))
    show(tree.shuanglin_factory, local(2024, 12, 31, 23, 30))
    show(tree.shuanglin_factory, local(2025, 1, 1, 0, 30))

    # when: 2024 is rolled up in 2026 (today)
    services.rollup_year(year=2024, figures=figures(SHOWS))

    # then
    snapshot = Snapshot.objects.get(year=2024, is_current=True)
    assert snapshot.as_of == timezone.localdate()
    city = current_row(SHOWS, tree.city)
    assert city.value == 6
    assert city.months == ["0", "0", "3", "3", "3", "3", "5", "5", "5", "5", "5", "6"]
    assert current_row(SHOWS, tree.wuxing).months == ["0", "0"] + ["3"] * 4 + ["5"] * 6
    assert current_row(SHOWS, tree.nanxun).months == ["0"] * 11 + ["1"]
    # the townships are not given months (there are many; the trend is the city's and districts')
    assert current_row(SHOWS, tree.zhili).months is None
    trend = selectors.monthly_trend(viewer=SYSTEM, year=2024, union=tree.city)
    assert trend[SHOWS] == [0.0, 0.0, 3.0, 3.0, 3.0, 3.0, 5.0, 5.0, 5.0, 5.0, 5.0, 6.0]


def test_a_year_rolled_up_as_of_a_day_counts_only_what_was_dated_by_then(tree):
    # given: 3 shows in March and 2 in July 2024 in 吴兴
    for day in (1, 15, 31):
        show(tree.zhili_factory, local(2024, 3, day, 19, 0))
    for day in (1, 31):
        show(tree.balidian_factory, local(2024, 7, day, 9, 0))

    # when: 2024 is rolled up as it stood on 30 June (the demo's "year in progress")
    call_command("rollup", year=2024, as_of=dt.date(2024, 6, 30), stdout=io.StringIO())

    # then: the year's value, its months and the snapshot's day stop at 30 June
    assert Snapshot.objects.get(year=2024, is_current=True).as_of == dt.date(2024, 6, 30)
    city = current_row(SHOWS, tree.city)
    assert city.value == 3
    assert city.months == ["0", "0", "3", "3", "3", "3"] + [None] * 6
    assert current_row(SHOWS, tree.zhili).value == 3


def test_the_rollup_command_refuses_a_day_that_is_not_a_date():
    with pytest.raises(CommandError, match="不是有效日期"):
        call_command("rollup", "--as-of", "2024-02-30", stdout=io.StringIO())


def test_the_months_of_a_sum_and_of_a_date_field(tree):
    # given: pre-shift sessions with headcounts, and gig workers joining on known days
    for when, headcount in [(local(2024, 2, 29, 8), 10), (local(2024, 5, 1, 8), 5)]:
        ActivityFactory(union=tree.zhili_factory, starts_at=when, headcount=headcount)
    courier = Member.EmploymentForm.COURIER
    for day in (dt.date(2024, 1, 31), dt.date(2024, 2, 1), dt.date(2024, 12, 31)):
        member(union=tree.zhili_joint, employment_form=courier, joined_on=day)

    # when
    services.rollup_year(year=2024, figures=figures(PRE_SHIFT, GIG))

    # then
    assert current_row(PRE_SHIFT, tree.city).months == ["0"] + ["10"] * 3 + ["15"] * 8
    assert current_row(GIG, tree.wuxing).months == ["1"] + ["2"] * 10 + ["3"]


def test_the_current_year_stops_at_the_as_of_day_and_compares_with_the_same_day_last_year(
    tree, at_noon_on_1_july_2025
):
    # given: 2024: two shows in March, one on 1 July (counted: the same day), one on 2 July and
    # one in November (not yet, a year before); 2025: three in February, one on 30 June and one
    # already scheduled for September
    for when in [local(2024, 3, 5), local(2024, 3, 6), local(2024, 7, 1, 20), local(2024, 7, 2)]:
        show(tree.zhili_factory, when)
    show(tree.zhili_factory, local(2024, 11, 20))
    for when in [local(2025, 2, 3), local(2025, 2, 4), local(2025, 2, 5), local(2025, 6, 30)]:
        show(tree.zhili_factory, when)
    show(tree.zhili_factory, local(2025, 9, 9))

    # when
    services.rollup_year(year=2025, figures=figures(SHOWS))

    # then: the months run to July (up to 1 July) and stop there
    city = current_row(SHOWS, tree.city)
    assert city.value == 5
    assert city.months == ["0", "3", "3", "3", "3", "4", "4"] + [None] * 5
    assert city.last_year_same_date == 3
    assert current_row(SHOWS, tree.nanxun).last_year_same_date == 0

    # and the board projects from what was counted by 1 July (4, not the 5 including September):
    # 4 ÷ 182/365
    row = {
        r.indicator.key: r for r in selectors.board(viewer=SYSTEM, year=2025, union=tree.city).rows
    }[SHOWS]
    assert row.value == 5
    assert row.last_year_same_date == 3
    assert row.projection == Decimal("8.02")
    trend = selectors.monthly_trend(viewer=SYSTEM, year=2025, union=tree.city)[SHOWS]
    assert trend == [0.0, 3.0, 3.0, 3.0, 3.0, 4.0, 4.0, None, None, None, None, None]


def test_a_past_year_compares_with_the_whole_previous_year_and_is_not_projected(tree):
    # given: 2023 and 2024 shows; two members on the register since 2020, one who joined in 2024
    member(union=tree.zhili_factory, joined_on=dt.date(2020, 1, 1))
    member(union=tree.shuanglin_factory, joined_on=dt.date(2020, 1, 1))
    member(union=tree.shuanglin_factory, joined_on=dt.date(2024, 5, 1))
    show(tree.zhili_factory, local(2023, 2, 1))
    show(tree.zhili_factory, local(2023, 12, 31, 23, 30))
    show(tree.zhili_factory, local(2024, 4, 1))

    # when: 2024 is rolled up after it closed
    services.rollup_year(year=2024, figures=figures(SHOWS, STOCK))

    # then: same date last year is 2023's whole value, for the flow and the stock alike
    assert current_row(SHOWS, tree.city).last_year_same_date == 2
    stock = current_row(STOCK, tree.city)
    assert stock.value == 3
    assert stock.last_year_same_date == 2  # on the register at the end of 2023
    rows = {
        r.indicator.key: r for r in selectors.board(viewer=SYSTEM, year=2024, union=tree.city).rows
    }
    assert rows[SHOWS].value == 1
    assert rows[SHOWS].projection is None
    assert rows[STOCK].projection is None


def test_a_stock_has_no_trend_and_no_projection(client, staff, tree, at_noon_on_1_july_2025):
    # given: the 2025 register (two members since 2020, one who joined in March) rolled up in the
    # middle of 2025
    for union in (tree.zhili_factory, tree.shuanglin_factory):
        member(union=union, joined_on=dt.date(2020, 1, 1))
    member(union=tree.zhili_factory, joined_on=dt.date(2025, 3, 1))
    services.rollup_year(year=2025, figures=figures(STOCK, SHOWS))
    client.force_login(staff["leadership"])

    # when
    response = client.get("/dashboard/", {"year": 2025})

    # then: the register has a value but no months, no pace and no same date last year
    stock = current_row(STOCK, tree.city)
    assert stock.value == 3
    assert stock.months is None
    assert stock.last_year_same_date is None
    row = {r.indicator.key: r for r in response.context["board"].rows}[STOCK]
    assert row.value == 3
    assert row.projection is None
    data = response.context["chart_data"]
    assert STOCK not in data["trend"]
    assert data["trendNotes"][STOCK] == "暂无数据（存量指标）"
    assert data["trend"][SHOWS] == [0.0] * 7 + [None] * 5
    # a township is not given months: the chart says so rather than drawing zeros
    township = client.get("/dashboard/", {"year": 2025, "union": tree.zhili.code})
    assert township.context["chart_data"]["trendNotes"][SHOWS] == "逐月走势只汇总到市和区县"


def test_a_grassroots_union_compares_with_the_same_day_last_year_from_its_records(
    tree, at_noon_on_1_july_2025
):
    # given: a grassroots union (not a roll-up node) with shows in both years
    show(tree.zhili_factory, local(2024, 6, 30))
    show(tree.zhili_factory, local(2024, 7, 2))
    show(tree.zhili_factory, local(2025, 1, 10))
    show(tree.zhili_factory, local(2025, 12, 1))
    figures(SHOWS)

    # when
    rows = {
        r.indicator.key: r
        for r in selectors.board(viewer=SYSTEM, year=2025, union=tree.zhili_factory).rows
    }

    # then: 1 counted by 1 July, projected over 182 of 365 days
    assert rows[SHOWS].value == 2
    assert rows[SHOWS].last_year_same_date == 1
    assert rows[SHOWS].projection == Decimal("2.01")
