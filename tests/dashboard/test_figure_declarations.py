"""Issue 15: every figure declares how its records reach a union (`union_path`) and how it
aggregates across unions (`aggregate`); the drill-down is scoped by that declaration, never by a
guess, so for every figure the list a district admin sees adds up to the district's figure, and the
list a city admin (not a superuser) sees adds up to the city's."""

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from common.figures import AGGREGATES, SUM, check_union_path, figure, load_all, record_model
from dashboard.models import Snapshot, SnapshotValue
from dashboard.selectors import figure_records, record_rows
from members.models import Member, StaffProfile, Union
from members.scoping import within_q
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

YEAR = 2024


# --- the declaration is required ---------------------------------------------------------------


@pytest.mark.parametrize(
    "declaration",
    [
        {},
        {"aggregate": "sum"},
        {"union_path": "union"},
        {"union_path": "", "aggregate": "sum"},
        {"union_path": "union", "aggregate": "average"},
        {"union_path": "union", "aggregate": "share"},  # a share without share_of
        {"union_path": "union", "aggregate": "sum", "share_of": "covered"},
        {"union_path": "union", "aggregate": "distinct_persons", "total": "amount"},
        {"union_path": "union", "aggregate": "sum", "through": ("ActivityReach", "enterprise")},
    ],
)
def test_a_figure_that_does_not_say_how_it_reaches_a_union_and_aggregates_is_refused(declaration):
    with pytest.raises(ValueError):
        figure("test_undeclared", **declaration)


def test_every_figure_declares_a_union_path_that_leads_from_its_records_to_a_union():
    figures = load_all()  # checks each path against the records' model

    assert len(figures) == 51
    for fig in figures.values():
        assert fig.aggregate in AGGREGATES
        check_union_path(fig, record_model(fig))


def test_a_union_path_that_does_not_reach_a_union_is_refused_when_the_figures_load():
    from members.models import Member

    fig = load_all()["registered_members"]
    wrong = type(fig)(key="t", records=fig.records, union_path="station__union", aggregate="sum")
    with pytest.raises(ValueError):
        check_union_path(wrong, Member)
    with pytest.raises(ValueError):
        figure("t", union_path="enterprise", aggregate="sum")


def top_up_in_a_district() -> None:
    """One record in a district for each figure the demo at this scale leaves without any (a
    card figure of 2 × 0.01 rounds to none)."""
    from skills.models import Competition, Honour
    from tests.activities.factories import CulturePositionFactory
    from tests.factories import EnterpriseFactory
    from tests.skills.factories import (
        AcademyFactory,
        CollectiveHonourFactory,
        CompetitionFactory,
        HonourFactory,
    )
    from tests.welfare.factories import StationFactory
    from welfare.models import LabourRelationsSite, ServiceStation, StationUpgrade

    township = Union.objects.filter(level=Union.Level.TOWNSHIP).order_by("path").first()
    member = Member.objects.filter(within_q(township), left_on__isnull=True).order_by("pk").first()
    home = member.union
    ent = EnterpriseFactory(union=home, is_state_owned=True, reform_pilot_year=YEAR)
    K = Honour.Kind
    for kind in (K.MAY_DAY_MEDAL, K.PROVINCIAL_MODEL_WORKER, K.ZHEJIANG_CRAFTSMAN):
        HonourFactory(kind=kind, year=YEAR, member=member)
    for kind in (K.GOLDEN_BLUE_COLLAR, K.GREAT_CRAFTSMAN_CANDIDATE):
        HonourFactory(kind=kind, year=YEAR, member=member)
    for kind in (K.PIONEER_TEAM, K.PROVINCIAL_MODEL_COLLECTIVE):
        CollectiveHonourFactory(kind=kind, year=YEAR, enterprise=ent)
    CompetitionFactory(
        union=township,
        level=Competition.Level.PROVINCIAL,
        host=township.name,
        host_union=township,
    )
    CompetitionFactory(union=township, is_merit=True, provincial_demo_year=YEAR)
    AcademyFactory(union=township)
    CulturePositionFactory(union=township)
    LabourRelationsSite.objects.create(
        union=township,
        name="测试样板",
        level=LabourRelationsSite.Level.PROVINCIAL,
        recognised_on=dt.date(YEAR, 5, 1),
    )
    room = StationFactory(union=home, kind=ServiceStation.Kind.MOMMY_ROOM)
    StationUpgrade.objects.create(station=room, upgraded_on=dt.date(YEAR, 6, 1))


# --- for all 51 figures at once: the drill-down adds up to the figure ---------------------------


@pytest.fixture
def demo():
    """The demo at scale 0.01 rolled up for 2024: records for every figure in every district."""
    out = io.StringIO()
    call_command("seed_demo", scale=0.01, seed=2024, stdout=out)
    spread_into_a_township()
    top_up_in_a_district()
    call_command("rollup", year=YEAR, stdout=out)


def spread_into_a_township() -> None:
    """The demo organises some figures' few records at the city itself (city competitions, the
    year's honours): move every other one of those to a township, so that every figure has
    records inside a district and the test below is not vacuous for it."""
    city = Union.objects.get(level=Union.Level.CITY, parent__isnull=True)
    township = Union.objects.filter(level=Union.Level.TOWNSHIP).order_by("path").first()
    districts = Q()
    for d in Union.objects.filter(level=Union.Level.DISTRICT):
        districts |= within_q(d)
    for fig in load_all().values():
        qs = fig.records(year=YEAR, union=city)
        if fig.union_path != "union" or qs.filter(districts).exists():
            continue
        pks = list(qs.order_by("pk").values_list("pk", flat=True))[::2]
        qs.model.objects.filter(pk__in=pks).update(union=township)


def listed_total(fig, rows: list[tuple]) -> Decimal:
    """The rows a drill-down lists, added up the way the figure aggregates (the last column is
    what each row adds for a sum or a share)."""
    if fig.share_of:
        value = Decimal(100) * sum(r[-1] for r in rows) / len(rows) if rows else Decimal(0)
    elif fig.aggregate == "distinct_months":  # the last column is the month each row counts in
        value = Decimal(len({r[-1] for r in rows}))
    elif fig.total:
        value = Decimal(sum(r[-1] for r in rows)) / fig.divisor
    else:
        value = Decimal(len(rows))
    return value.quantize(Decimal(1).scaleb(-fig.places), rounding=ROUND_HALF_UP)


def test_for_every_figure_the_drilldown_adds_up_to_the_district_and_city_figures(demo):
    # given: a district admin for each district, and a city admin who is not a superuser
    figures = load_all()
    city = Union.objects.get(level=Union.Level.CITY, parent__isnull=True)
    districts = list(Union.objects.filter(level=Union.Level.DISTRICT).order_by("path"))
    viewers = [(city, make_staff(city, StaffProfile.Role.CITY_ADMIN, "city-not-root"))]
    viewers += [
        (d, make_staff(d, StaffProfile.Role.DISTRICT_ADMIN, f"d-{d.code}")) for d in districts
    ]
    assert not viewers[0][1].is_superuser
    snapshot = Snapshot.objects.get(year=YEAR, is_current=True)
    shown = {
        (u, k): v
        for u, k, v in SnapshotValue.objects.filter(snapshot=snapshot).values_list(
            "union_id", "indicator__key", "value"
        )
    }

    wrong, in_a_district = [], set()
    for key, fig in figures.items():
        for union, viewer in viewers:
            # when: the records as the drill-down lists them for that viewer
            _fig, qs = figure_records(viewer=viewer, key=key, year=YEAR, union=union)
            rows = list(record_rows(fig, qs)[1])

            # then: added up the way the figure aggregates, they give the figure shown
            if listed_total(fig, rows) != shown.get((union.pk, key)):
                wrong.append(
                    f"{key} @ {union.name}: list {listed_total(fig, rows)} ({len(rows)} rows), "
                    f"figure {shown.get((union.pk, key))}"
                )
            if rows and union.level == Union.Level.DISTRICT:
                in_a_district.add(key)
    assert not wrong, "\n".join(wrong)
    # and the proof is not vacuous: every figure has records in some district
    missing = sorted(set(figures) - in_a_district)
    assert not missing, "no records in any district: " + ", ".join(missing)


def test_a_summable_figure_of_the_city_is_its_childrens_plus_its_own_records(demo):
    """What `aggregate` promises the grouped roll-up: a "sum" (and each side of a "share") adds
    up over the unions under the city and the city's own records (counted under it by
    `union_path`); a count of distinct persons or enterprises never exceeds that sum."""
    figures = load_all()
    city = Union.objects.get(level=Union.Level.CITY, parent__isnull=True)
    children = list(Union.objects.filter(parent=city))

    def raw(fig, qs) -> tuple[Decimal, int]:
        """(the figure before rounding: rows, or the sum of what each adds; the number of rows)"""
        amount = fig.total or fig.share_of
        agg = qs.aggregate(n=Count("pk"), **({"s": Sum(amount)} if amount else {}))
        return (Decimal(agg.get("s") or 0) if amount else Decimal(agg["n"])), agg["n"]

    wrong = []
    for key, fig in figures.items():
        whole = fig.records(year=YEAR, union=city)
        own = whole.filter(fig.reach_q(whole.model, Q(**{fig.union_path: city})))
        parts = [raw(fig, fig.records(year=YEAR, union=c)) for c in children] + [raw(fig, own)]
        total = tuple(sum(p[i] for p in parts) for i in (0, 1))
        if fig.aggregate in (SUM, "share") and raw(fig, whole) != total:
            wrong.append(f"{key} ({fig.aggregate}): city {raw(fig, whole)}, parts {total}")
        elif fig.aggregate not in (SUM, "share") and raw(fig, whole)[1] > total[1]:
            wrong.append(f"{key} ({fig.aggregate}): city {raw(fig, whole)} > parts {total}")
    assert not wrong, "\n".join(wrong)
