"""Repeated passes of the roll-up over the same records, made one (issue 13).

The roll-up of a "sum" or "share" figure made one grouped query per kind of value
(dashboard/grouped.py). Two of those read the same rows again:
- a stock's year and its same date last year. A figure with no date (registered_members: the
  register at 31 December) counts year - 1 over the same table: at city scale the register's
  684,405 rows were read once for 2024 and again for 2023. Here the two years' records querysets
  are OR-ed into one (Django's `qs_a | qs_b`, which keeps each side's WHERE clause as one branch
  of the OR), each row is flagged by the branch it satisfies (the same WHERE clauses, selected as
  two boolean columns), and one GROUP BY sums each flag apart;
- a dated figure's year and its months: the year's rows grouped by month give the year too (a row
  outside the months, e.g. dated after the as-of day's cut, counts in bucket 0).
A dated figure's last year stays a query of its own: those are other rows (last year's dates),
read by their own date range.

Each side's rows are exactly what its own queryset gives, so every value is what the separate
queries gave; where two querysets cannot be OR-ed that way (a slice, a GROUP BY of their own,
annotations, a top-level OR, different DISTINCT), `pair_tallies` returns None and the caller
makes the separate passes.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import BooleanField, ExpressionWrapper, F, QuerySet, Value
from django.db.models.functions import ExtractMonth
from django.db.models.sql.where import AND, OR
from django.utils import timezone

from common.figures import Figure
from dashboard.grouped import Tally, Tree, _decimal, _is_datetime, _per_node, finish, running
from members.models import Union


def year_and_last(
    fig: Figure,
    tree: Tree,
    *,
    year: int,
    root: Union,
    until: dt.date | None,
    cutoffs: list[dt.date | None] | None,
    last_year: bool,
) -> tuple[dict[int, Decimal], dict[int, list[Decimal | None]], dict[int, Decimal]] | None:
    """({node id: value of `year`}, {node id: its twelve month values} (empty without
    `cutoffs`), {node id: value of year - 1}) for a summed figure, from one query; None when
    the two years cannot share one (then ask grouped.values / month_values for each).
    `until`: this year's records up to that day (a roll-up cut inside the year); `cutoffs`:
    services.month_cutoffs, for a dated figure; `last_year`: whether to count year - 1 (all of
    it) in the same pass, else the third dict is empty."""
    now_qs = fig.records(year=year, union=root)
    if until is not None:
        now_qs = now_qs.filter(fig.until_q(now_qs.model, until))
    last_qs = fig.records(year=year - 1, union=root) if last_year else None
    if last_qs is not None and not last_qs.exists():
        # nothing to count last year (a first year of records): the OR would only make every
        # row of this year test last year's conditions too
        last_qs = None
    last_cut = max((c for c in cutoffs or [] if c is not None), default=None)
    tallies = pair_tallies(fig, now_qs, last_qs, months_until=last_cut)
    if tallies is None:
        return None
    now_nodes, last_nodes = (_per_node(tree, t) for t in tallies)
    now: dict[int, Decimal] = {}
    months: dict[int, list[Decimal | None]] = {}
    last: dict[int, Decimal] = {}
    for node in tree.nodes:
        by_month = now_nodes.get(node.pk, {})
        now[node.pk] = finish(fig, *_whole(by_month))
        if last_year:
            last[node.pk] = finish(fig, *_whole(last_nodes.get(node.pk, {})))
        if cutoffs:
            months[node.pk] = running(fig, by_month, cutoffs)
    return now, months, last


def _whole(by_month: dict[int, Tally]) -> Tally:
    """A node's tally over all its month buckets (bucket 0: rows outside the months)."""
    return sum((n for n, _s in by_month.values()), 0), sum(
        (s for _n, s in by_month.values()), Decimal(0)
    )


def pair_tallies(
    fig: Figure, now_qs: QuerySet, last_qs: QuerySet | None, *, months_until: dt.date | None
) -> tuple[dict[tuple[int, int], Tally], dict[tuple[int, int], Tally]] | None:
    """({(union id, month): tally of now_qs}, {(union id, month): tally of last_qs}) from one
    GROUP BY over `now_qs | last_qs` (over now_qs alone without last_qs), where month is the
    local month (1-12) of now_qs's rows dated up to `months_until` and 0 for every other row
    (all of them without `months_until`); None when the two querysets cannot be OR-ed branch
    by branch."""
    columns: dict[str, Any] = {"g_pk": F("pk"), "g_union": F(fig.union_path)}
    if last_qs is None:
        both = now_qs
        columns.update(g_now=Value(True), g_last=Value(False))
    else:
        branches = _or_branches(now_qs, last_qs)
        if branches is None:
            return None
        both, now_where, last_where = branches
        columns.update(
            g_now=ExpressionWrapper(now_where, output_field=BooleanField()),
            g_last=ExpressionWrapper(last_where, output_field=BooleanField()),
        )
    summed = fig.share_of or fig.total
    if summed:
        columns["g_sum"] = F(summed)
    if months_until is not None:
        assert fig.date_field is not None
        columns["g_month"] = ExtractMonth(
            fig.date_field,
            tzinfo=timezone.get_default_timezone() if _is_datetime(fig, both.model) else None,
        )
        columns["g_upto"] = ExpressionWrapper(
            fig.until_q(both.model, months_until), output_field=BooleanField()
        )
    sql, params = both.order_by().values(**columns).query.sql_with_params()
    connection = connections[both.db]
    q = connection.ops.quote_name
    now, last, upto = q("g_now"), q("g_last"), q("g_upto")
    month = f"CASE WHEN {now} AND {upto} THEN {q('g_month')} ELSE 0 END" if months_until else "0"
    part = q("g_sum") if summed else "0"
    with connection.cursor() as cursor:
        # CASE rather than FILTER (WHERE ...): the embedded demo's SQLite runs the roll-up too
        cursor.execute(
            f"SELECT {q('g_union')}, {month}, "
            f"SUM(CASE WHEN {now} THEN 1 ELSE 0 END), SUM(CASE WHEN {now} THEN {part} END), "
            f"SUM(CASE WHEN {last} THEN 1 ELSE 0 END), SUM(CASE WHEN {last} THEN {part} END) "
            f"FROM ({sql}) grouped GROUP BY 1, 2",
            params,
        )
        rows = cursor.fetchall()
    now_t: dict[tuple[int, int], Tally] = {}
    last_t: dict[tuple[int, int], Tally] = {}
    for union_id, m, n_now, s_now, n_last, s_last in rows:
        key = (union_id, int(m or 0))  # one row per key: the GROUP BY's
        if n_now:
            now_t[key] = (int(n_now), _decimal(s_now) if summed else Decimal(0))
        if n_last:
            last_t[key] = (int(n_last), _decimal(s_last) if summed else Decimal(0))
    return now_t, last_t


def _or_branches(a: QuerySet, b: QuerySet):
    """(a | b, a's WHERE, b's WHERE as the OR-ed query names its tables) or None. Both WHEREs
    must be non-empty conjunctions: Django then keeps them as the OR's two children."""
    for qs in (a, b):
        query = qs.query
        if (
            query.is_sliced
            or query.group_by is not None
            or query.distinct_fields
            or query.combinator
            # `a | b` keeps a's annotations only: a column computed for b's year (a share's
            # numerator as of b's year end) would be a's
            or query.annotations
            or not query.where.children
            or query.where.connector != AND
            or query.where.negated
        ):
            return None
    try:
        both = a | b
    except TypeError:
        return None
    where = both.query.where
    if where.connector != OR or where.negated or len(where.children) != 2:
        return None
    return both, where.children[0], where.children[1]
