"""Issue 13: a summed figure's year and its same date last year come from ONE pass over its
records (dashboard/grouped_years.py): the register (registered_members, a stock) was read once for
2024 and again for 2023. Every value is the one the separate passes give; records that cannot be
OR-ed branch by branch keep the separate passes."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from common.figures import REGISTRY
from dashboard import grouped, grouped_years, services
from dashboard.models import Indicator
from members.models import Member

pytestmark = pytest.mark.django_db


def test_the_register_of_this_year_and_of_last_year_come_from_one_query(tree, records):
    # given: the roll-up's nodes, their unions' paths already read
    fig = REGISTRY["registered_members"]
    nodes = grouped.Tree(services.rollup_nodes())
    nodes.cover()

    # when
    with CaptureQueriesContext(connection) as queries:
        now, months, last = grouped_years.year_and_last(
            fig, nodes, year=2024, root=tree.city, until=None, cutoffs=None, last_year=True
        )

    # then: one pass (after a look for any record of last year), and each year's values what
    # that year's own pass gives
    assert len(queries) == 2 and "LIMIT 1" in queries[0]["sql"]
    assert now == grouped.values(fig, nodes, year=2024, root=tree.city)
    assert last == grouped.values(fig, nodes, year=2023, root=tree.city)
    assert months == {}
    # by hand (tests/dashboard/conftest.py): 10 on the 2024 register; in 2023 the two couriers
    # of 织里联合工会 had not joined, the 八里店 member had left (30 June 2023)
    assert (now[tree.city.pk], last[tree.city.pk]) == (10, 8)
    assert (now[tree.wuxing.pk], last[tree.wuxing.pk]) == (5, 3)


def test_a_rollup_reads_the_register_once_for_the_year_and_last_year(tree, records):
    fig = REGISTRY["registered_members"]
    nodes = grouped.Tree(services.rollup_nodes())
    nodes.cover()
    indicator = Indicator.objects.get(key="registered_members")

    with CaptureQueriesContext(connection) as queries:
        rows = services.figure_rows(
            fig,
            indicator,
            year=2024,
            as_of=dt.date(2025, 3, 1),  # the year is over: last year is all of 2023
            tree=nodes,
            root=tree.city,
            history_nodes=[n for n in nodes.nodes if n.level in services.HISTORY_LEVELS],
        )

    # (beside the look for any record of 2023: SELECT 1 ... LIMIT 1)
    register_reads = [q for q in queries if "members_member" in q["sql"] and "GROUP BY" in q["sql"]]
    assert len(register_reads) == 1
    city = next(row for row in rows if row.union_id == tree.city.pk)
    assert (city.value, city.last_year_same_date) == (10, 8)


def test_records_carrying_a_column_computed_for_their_year_keep_two_passes(tree, records):
    # `a | b` would keep a's annotation for b's rows too: 2024's column on 2023's records
    fig = REGISTRY["registered_members"]
    now = Member.objects.filter(joined_on__year=2024).annotate(as_of=Value(2024))
    last = Member.objects.filter(joined_on__year=2023).annotate(as_of=Value(2023))

    assert grouped_years.pair_tallies(fig, now, last, months_until=None) is None


def test_records_whose_filter_is_one_or_keep_two_passes(tree, records):
    # a top-level OR would be flattened into the OR of the two years: no branch per year
    fig = REGISTRY["registered_members"]
    either = Member.objects.filter(joined_on__year=2024) | Member.objects.filter(name="张三")

    assert grouped_years.pair_tallies(fig, either, either, months_until=None) is None


def test_a_year_with_no_records_the_year_before_counts_zero_last_year(tree, records):
    # given: nothing was on the register at the end of 2018
    fig = REGISTRY["registered_members"]
    nodes = grouped.Tree(services.rollup_nodes())

    # when
    now, _months, last = grouped_years.year_and_last(
        fig, nodes, year=2019, root=tree.city, until=None, cutoffs=None, last_year=True
    )

    # then: what the separate passes give
    assert now == grouped.values(fig, nodes, year=2019, root=tree.city)
    assert last == grouped.values(fig, nodes, year=2018, root=tree.city)
    assert set(last.values()) == {0}
    assert now[tree.shuanglin.pk] == 4
