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
from members.models import Member
from tests.dashboard.test_figure_declarations import YEAR, demo  # noqa: F401 (the fixture)
from tests.factories import MemberFactory, make_id_number

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


def test_a_gig_worker_who_joined_in_two_districts_counts_from_each_first_joining(tree):
    """The grouped count of new gig members (persons, from one query of dated pairs) counts a
    courier who joined in 南浔 in March and again in 吴兴 in August once at the city from March,
    in 南浔 from March and in 吴兴 from August: what the figure gives node by node."""
    number = make_id_number()
    Form = Member.EmploymentForm
    MemberFactory(
        union=tree.shuanglin_factory,
        id_number=number,
        employment_form=Form.COURIER,
        joined_on=dt.date(2024, 3, 5),
        status=Member.Status.LEFT,
        left_on=dt.date(2024, 6, 30),
    )
    MemberFactory(
        union=tree.zhili_joint,
        id_number=number,
        employment_form=Form.COURIER,
        joined_on=dt.date(2024, 8, 10),
    )
    MemberFactory(
        union=tree.zhili_joint, employment_form=Form.STANDARD, joined_on=dt.date(2024, 2, 1)
    )
    fig = load_all()["new_gig_worker_members"]
    nodes = [tree.city, tree.wuxing, tree.nanxun, tree.zhili, tree.shuanglin, tree.balidian]
    shape = grouped.Tree(nodes)
    cutoffs = services.month_cutoffs(year=YEAR, as_of=dt.date(YEAR, 9, 15))

    now = grouped.values(fig, shape, year=YEAR, root=tree.city)
    months = grouped.month_values(fig, shape, year=YEAR, root=tree.city, cutoffs=cutoffs)

    for node in nodes:
        assert now[node.pk] == fig.compute(year=YEAR, union=node)
        assert months[node.pk] == [
            None if c is None else fig.compute_until(year=YEAR, union=node, until=c)
            for c in cutoffs
        ]
    assert [now[n.pk] for n in (tree.city, tree.wuxing, tree.nanxun, tree.balidian)] == [1, 1, 1, 0]
    assert months[tree.city.pk][2] == 1 and months[tree.wuxing.pk][6] == 0
    assert months[tree.wuxing.pk][7] == 1 and months[tree.nanxun.pk][2] == 1
