"""Issue 13: the roll-up computes each figure for every node from one grouped query
(dashboard/grouped.py). The proof that grouping changes nothing: on the seeded demo, every value the
grouped roll-up publishes, with its months and its same date last year, is what the figure's own
records function gives node by node."""

import datetime as dt

import pytest
from django.utils import timezone

from common.figures import load_all
from dashboard import grouped, services
from dashboard.models import Snapshot, SnapshotValue
from tests.dashboard.test_figure_declarations import YEAR, demo  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def published() -> dict[tuple[str, int], SnapshotValue]:
    snapshot = Snapshot.objects.get(year=YEAR, is_current=True)
    rows = SnapshotValue.objects.filter(snapshot=snapshot).select_related("indicator", "union")
    return {(row.indicator.key, row.union_id): row for row in rows}


def node_by_node(*, as_of: dt.date, history_only: bool) -> dict[tuple[str, int], tuple]:
    """(value, months, same date last year) per (figure, node), one query per node as the
    roll-up used to compute them."""
    out = {}
    for key, fig in load_all().items():
        for node in services.rollup_nodes():
            if history_only and node.level not in services.HISTORY_LEVELS:
                continue
            value = fig.compute(year=YEAR, union=node)
            months, last = (None, None)
            if node.level in services.HISTORY_LEVELS:
                months, last = services.history(
                    fig, year=YEAR, union=node, as_of=as_of, value=value
                )
            out[(key, node.pk)] = (value, months, last)
    return out


def differences(shown: dict, expected: dict) -> list[str]:
    wrong = []
    for (key, node), (value, months, last) in expected.items():
        row = shown[(key, node)]
        if (row.value, row.months, row.last_year_same_date) != (value, months, last):
            wrong.append(
                f"{key} @ {row.union.name}: grouped {row.value} {row.months} "
                f"{row.last_year_same_date}, per node {value} {months} {last}"
            )
    return wrong


def test_the_grouped_rollup_equals_the_figures_computed_node_by_node(demo, monkeypatch):  # noqa: F811
    figures = load_all()
    # every figure of the card takes the grouped path, its months too when it has a date (the
    # distinct months of 会员日 and the gig members by their first joining included), so a figure
    # cannot slip back to node by node unnoticed
    city = next(n for n in services.rollup_nodes() if n.parent_id is None)
    assert [k for k, fig in figures.items() if not grouped.groupable(fig)] == []
    assert [
        k
        for k, fig in figures.items()
        if fig.date_field is not None and not grouped.months_groupable(fig, root=city)
    ] == []

    # a year already over (the demo fixture rolled 2024 up today): values, twelve months and the
    # whole previous year, for the city, every district and every township
    today = timezone.localdate()
    wrong = differences(published(), node_by_node(as_of=today, history_only=False))
    assert not wrong, "\n".join(wrong)

    # the year as it stood at noon on 1 July: months stop at the as-of day, last year at the same
    # day of the year
    moment = dt.datetime(YEAR, 7, 1, 12, tzinfo=timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment)
    services.rollup_year(year=YEAR)
    wrong = differences(published(), node_by_node(as_of=moment.date(), history_only=True))
    assert not wrong, "\n".join(wrong)
    # and the comparison is not vacuous: the city has months and a last year for a dated figure
    city_row = next(
        row
        for (key, _node), row in published().items()
        if key == "pre_shift_person_times" and row.union.parent_id is None
    )
    assert city_row.months[6] is not None and city_row.months[7] is None  # July 1: begun
    assert city_row.value > 0
