"""Issue 7: `seed_demo --scale S` followed by a roll-up of 2024 gives the report card's 2024
figure × S for every key the card gives a 2024 figure for, read from the city's snapshot as the
dashboard shows it (dashboard.selectors.board).

What "× S" means, precisely (`expected` below, the one definition of it):

- a count (unit persons, person_times, events or items) is actual × S rounded half up to a
  whole number, in decimal arithmetic: 50 × 0.01 = 0.5 gives 1 and 5 × 0.1 = 0.5 gives 1
  (Python's round() would give 0 for both: it rounds half to even, on the binary float);
- an amount in 万元 (yuan_10k) is actual × S rounded half up to the figure's `places` (2, the
  places the dashboard shows): 800 万元 × 0.002 = 1.60 万元, 2,683 万元 × 0.01 = 26.83 万元;
- a percentage is a ratio and does not scale: the expected figure is the card's own (82%).

A percentage can only take the values 100·k/n allow (n: the figure's denominator, here the
above-designated-size unionised enterprises; k of them covered), shown to whole percents. With 15
such enterprises (scale 0.002) 82% cannot be shown (12/15 = 80%, 13/15 = 87%), nor with 53 (scale
0.01: 43/53 = 81%, 44/53 = 83%). So for a percentage the test asserts that the seed chose the
closest value achievable with n, that it is within one step (100/n) of the card, and that it is
the card's figure exactly wherever the card's figure is achievable (as at 0.05, asserted).

The drill-down (the figure's records queryset, scoped to a city viewer, as the dashboard lists
it) adds up to the snapshot's figure for a few keys of each kind (a count, a sum, a sum in 万元,
a percentage)."""

import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
import yaml
from django.apps import apps
from django.core.management import call_command
from django.db.models import Max

from common.figures import load_all
from dashboard.registry import REPORT_CARD
from dashboard.selectors import board, figure_records, record_rows
from members.actors import SYSTEM
from members.models import Member, StaffProfile, Union
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

YEAR = 2024
SEED = 2024
COUNT_UNITS = frozenset({"persons", "person_times", "events", "items"})
# The drill-down is checked for these: a count of rows, a count of distinct members, a sum of an
# annotation, a sum of a field in 万元, and a percentage.
DRILL_DOWN_KEYS = (
    "double_hundred_activities",
    "new_skilled_talents",
    "pre_shift_person_times",
    "mutual_aid_payout",
    "wage_contract_coverage",
)
DEMO_APPS = ("members", "activities", "skills", "welfare")


def expected(actual: int | str | Decimal, scale: float | str, unit: str, places: int) -> Decimal:
    """The report card's 2024 figure `actual` as the demo at `scale` must show it (see the module
    docstring): counts half up to a whole number, 万元 half up to `places`, percentages as they
    are. `scale` goes through str() so that 0.1 is one tenth, not the nearest binary float."""
    if unit == "percent":
        return Decimal(str(actual))
    exact = Decimal(str(actual)) * Decimal(str(scale))
    if unit in COUNT_UNITS:
        return exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    if unit == "yuan_10k":
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    raise ValueError(f"no rule for unit {unit!r}")


def card_2024() -> list[dict]:
    """The product's report card: every indicator that has a 2024 figure."""
    with REPORT_CARD.open(encoding="utf-8") as fh:
        indicators = yaml.safe_load(fh)["indicators"]
    return [i for i in indicators if i.get("actual_2024") is not None]


def shown_share(k: int, n: int) -> Decimal:
    """k of n as the coverage figure shows it: a whole percent, half up (common.figures)."""
    return (Decimal(100 * k) / n).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def seed_and_roll_up(scale: float) -> None:
    out = io.StringIO()
    call_command("seed_demo", scale=scale, seed=SEED, stdout=out)
    call_command("rollup", year=YEAR, stdout=out)


def city_values() -> tuple[Union, dict[str, Decimal | None]]:
    """The city's figures as the dashboard shows them: from the year's current snapshot."""
    city = Union.objects.get(level=Union.Level.CITY, parent__isnull=True)
    shown = board(viewer=SYSTEM, year=YEAR, union=city)
    return city, {row.indicator.key: row.value for row in shown.rows}


# --- the rounding rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "scale", "unit", "places", "want"),
    [
        (50, 0.01, "persons", 0, "1"),  # 0.5: half up, where round() gives 0
        (5, 0.1, "items", 0, "1"),  # 0.5 again (5 × 0.1 is 0.5 in floats too)
        (50, 0.05, "persons", 0, "3"),  # 2.5: half up, where round() gives 2
        (120, 0.01, "events", 0, "1"),  # 1.2
        (75, 0.002, "items", 0, "0"),  # 0.15
        (271_000, 0.002, "person_times", 0, "542"),
        (800, 0.002, "yuan_10k", 2, "1.60"),
        (2683, 0.01, "yuan_10k", 2, "26.83"),
        (557, 0.002, "yuan_10k", 2, "1.11"),  # 1.114
        (2683, 0.002, "yuan_10k", 2, "5.37"),  # 5.366
        (82, 0.002, "percent", 0, "82"),
    ],
)
def test_expected_rounds_counts_and_money_half_up_and_keeps_percentages(
    actual, scale, unit, places, want
):
    assert expected(actual, scale, unit, places) == Decimal(want)
    assert str(expected(actual, scale, unit, places)) == want


def test_every_2024_figure_on_the_card_has_a_unit_with_a_rule():
    units = {i["unit"] for i in card_2024()}
    assert units <= COUNT_UNITS | {"yuan_10k", "percent"}


# --- the demo at scale ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scale", "share_exact"),
    [
        (0.002, False),  # 15 above-size enterprises: 82% is not achievable
        (0.01, False),  # 53: not achievable either
        # 276: achievable, asserted. About 14 s here (seed 0.05 and roll-up), under the 20 s
        # that would mark it slow; 0.1 (about 60 s) is run by hand (see the issue 7 report).
        (0.05, True),
    ],
)
def test_seed_demo_then_rollup_gives_the_card_times_the_scale_for_every_2024_figure(
    scale, share_exact
):
    # given
    seed_and_roll_up(scale)
    figures = load_all()

    # when
    city, shown = city_values()

    # then: every figure the card gives a 2024 value for, each one checked (all reported at once)
    wrong = []
    for item in card_2024():
        key, actual, unit = item["key"], item["actual_2024"], item["unit"]
        assert key in figures, f"{key}: no @figure declares it"
        value = shown.get(key)
        want = expected(actual, scale, unit, figures[key].places)
        if value is None:
            wrong.append(f"{key}: no value in the city snapshot (expected {want})")
        elif unit == "percent":
            wrong += share_problems(key, value, want, figures[key], city, share_exact)
        elif value != want:
            wrong.append(f"{key}: {value}, expected {want} (card {actual} {unit} × {scale})")
    assert not wrong, "\n".join(wrong)


def share_problems(key, value, want, fig, city, share_exact: bool) -> list[str]:
    """What is wrong with a percentage `value` whose card figure is `want`: the seed must have
    chosen the closest share achievable with the figure's n rows, within one step of the card."""
    n = fig.records(year=YEAR, union=city).count()
    if n == 0:
        return [f"{key}: no records to take a share of"]
    achievable = {shown_share(k, n) for k in range(n + 1)}
    closest = min(abs(s - want) for s in achievable)
    problems = []
    if abs(value - want) != closest:
        problems.append(f"{key}: {value}%, but {want - closest}% or {want + closest}% was possible")
    if abs(value - want) > Decimal(100) / n:
        problems.append(f"{key}: {value}% is more than one step (100/{n}) from {want}%")
    if (want in achievable) != share_exact:
        problems.append(f"{key}: {want}% achievable with n={n}: {want in achievable}")
    if want in achievable and value != want:
        problems.append(f"{key}: {value}%, expected exactly {want}% (achievable with n={n})")
    return problems


def test_the_drill_down_adds_up_to_the_figure_the_dashboard_shows():
    # given
    seed_and_roll_up(0.002)
    city, shown = city_values()
    viewer = make_staff(city, StaffProfile.Role.CITY_ADMIN, "city-viewer")

    for key in DRILL_DOWN_KEYS:
        # when: the records as the drill-down lists them for a city viewer
        fig, qs = figure_records(viewer=viewer, key=key, year=YEAR, union=city)
        _headers, rows = record_rows(fig, qs)
        rows = list(rows)

        # then: added up the way the figure is defined, they give the figure shown
        assert rows, key
        if fig.share_of:
            total = Decimal(100) * sum(r[-1] for r in rows) / len(rows)
        elif fig.total:
            total = Decimal(sum(r[-1] for r in rows)) / fig.divisor
        else:
            total = Decimal(len(rows))
        places = Decimal(1).scaleb(-fig.places)
        assert total.quantize(places, rounding=ROUND_HALF_UP) == shown[key], key


def test_a_second_seed_demo_adds_nothing():
    # given
    call_command("seed_demo", scale=0.002, seed=SEED, stdout=io.StringIO())
    before = row_counts()

    last_change = Member.objects.aggregate(Max("updated_at"))["updated_at__max"]

    # when
    call_command("seed_demo", scale=0.002, seed=SEED, stdout=io.StringIO())

    # then: no new row, history included, and no member rewritten by the second roster import
    assert row_counts() == before
    assert Member.objects.aggregate(Max("updated_at"))["updated_at__max"] == last_change


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in DEMO_APPS
        for model in apps.get_app_config(app).get_models()
    }
