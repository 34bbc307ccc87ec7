"""A figure for every roll-up node at once: one grouped query per figure, not one per node.

How (on the figure's declarations, common/figures.py):
- "sum" and "share" with a `union_path` that reaches one union per record: the figure's records
  for the whole city (its records function called with the city union) grouped by the union each
  record counts under (`union_path`), giving per union the number of rows and the sum of `total`
  (or of `share_of`); each node then adds up the unions of its subtree. Row counts and sums add up
  across unions, so this is exactly what the records function gives node by node; a share divides
  the node's numerator by its denominator only at the end.
- "distinct_persons" / "distinct_enterprises" with a `reach`: the distinct (union, person or
  enterprise) pairs for the whole city in one query; a node counts the distinct persons of its
  subtree's pairs (a person under two unions counts once in their common ancestor). A reach may
  give a third column, the local date the pair counts from: then a node's months count each person
  from their earliest date in its subtree (what a records function that keeps a person's first
  record of the year gives node by node, e.g. new_gig_worker_members).
- "distinct_months": the distinct (union, local day) of the records for the whole city in one
  query; a node counts the distinct months among its subtree's days (months do not add up across
  unions, days do not need to).
- anything else (a distinct count without `reach`, a sum through a one-to-many path) falls back to
  the records function node by node: correct, only slower.

The grouping is by union id and the subtree sums are done here, over the materialised paths, rather
than by `Substr(path, 1, n)` in SQL: union codes need not have one length per level, and the
per-union result (at most one row per union that has records, ~18,000 at city scale) is small.

Unions are added up first by the tuple of nodes covering them (about one group per township), then
each group once into its nodes: the per-union loop is the Python side's main cost at city scale.

Months: the same grouped query also groups by the local month of `date_field` (records up to the
roll-up's as-of day), and each month's value is the running total of the months up to it, which is
`Figure.compute_until(month end)` for every node at once.
"""

import datetime as dt
from bisect import bisect_right
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connections, models
from django.db.models import F, QuerySet
from django.db.models.functions import ExtractMonth, TruncDate
from django.utils import timezone

from common.figures import (
    DISTINCT_ENTERPRISES,
    DISTINCT_MONTHS,
    DISTINCT_PERSONS,
    Figure,
    check_union_path,
    crosses_many,
    date_field_of,
    record_model,
)
from members.models import Union

# per union (and month): (number of rows, sum of total or share_of)
Tally = tuple[int, Decimal]


def groupable(fig: Figure) -> bool:
    """Whether `fig` can be computed for every node from one grouped query."""
    if fig.aggregate in (DISTINCT_PERSONS, DISTINCT_ENTERPRISES):
        return fig.reach is not None
    if fig.through is not None:
        return False
    model = record_model(fig)
    try:
        check_union_path(fig, model)
    except ValueError:
        return False  # not a path from its records: only the records function knows the way
    return not crosses_many(model, fig.union_path)


def months_groupable(fig: Figure, *, root: Union) -> bool:
    if fig.date_field is None:
        return False
    if fig.aggregate in (DISTINCT_PERSONS, DISTINCT_ENTERPRISES):
        return fig.reach is not None and dated_reach(fig, root=root)
    return True


def dated_reach(fig: Figure, *, root: Union) -> bool:
    """Whether `fig`'s reach gives a third column, the date each pair counts from (its records'
    `date_field`): then its months and same date last year are grouped too. Only builds the
    query: nothing is run."""
    if fig.reach is None:
        return False
    query = fig.reach(year=timezone.localdate().year, union=root).query
    width = len(query.values_select) + len(query.annotation_select) + len(query.extra_select)
    return width == 3


class Tree:
    """The roll-up nodes and, for any union id, the nodes whose subtree holds it."""

    def __init__(self, nodes: list[Union]):
        self.nodes = nodes
        self.by_path = {node.path: node.pk for node in nodes}
        self._paths: dict[int, str] | None = None
        self._cache: dict[int, tuple[int, ...]] = {}
        self._all = False
        # the current distinct count's points per (figure, year, root), for this run only
        self.points: dict[tuple, list] = {}

    def cover(self) -> dict[int, tuple[int, ...]]:
        """covering() of every union at once, for the loops over every union's rows."""
        if not self._all:
            self._paths = dict(Union.objects.values_list("pk", "path"))
            for union_id in self._paths:
                self.covering(union_id)
            self._all = True
        return self._cache

    def covering(self, union_id: int) -> tuple[int, ...]:
        """The node ids of the roll-up nodes that `union_id` lies in (itself included)."""
        if union_id not in self._cache:
            if self._paths is None:
                self._paths = dict(Union.objects.values_list("pk", "path"))
            path = self._paths.get(union_id, "")
            parts = path.split("/")[:-1]
            prefixes = ("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
            self._cache[union_id] = tuple(
                self.by_path[prefix] for prefix in prefixes if prefix in self.by_path
            )
        return self._cache[union_id]


def finish(fig: Figure, rows: int, part: Decimal) -> Decimal:
    """The figure's value from its row count and sum: `Figure.value_of` on numbers."""
    if fig.share_of:
        if not rows:
            return Decimal(0)
        value = Decimal(100) * Decimal(part) / Decimal(rows)
    elif fig.total:
        value = Decimal(part)
    else:
        value = Decimal(rows)
    if fig.divisor != 1:
        value = value / Decimal(fig.divisor)
    return value.quantize(Decimal(1).scaleb(-fig.places), rounding=ROUND_HALF_UP)


def _tallies(fig: Figure, qs: QuerySet, *, by_month: bool) -> dict[tuple[int, int], Tally]:
    """{(union id, month or 0): (rows, sum)} over `qs`, in one GROUP BY. The records queryset is
    wrapped as a subquery (its own joins, DISTINCT and annotations untouched); the primary key is
    selected so that a DISTINCT in it still keeps every record."""
    columns: dict[str, Any] = {"g_pk": F("pk"), "g_union": F(fig.union_path)}
    summed = fig.share_of or fig.total
    if summed:
        columns["g_sum"] = F(summed)
    if by_month:
        field = qs.model
        assert fig.date_field is not None
        columns["g_month"] = ExtractMonth(
            fig.date_field,
            tzinfo=timezone.get_default_timezone() if _is_datetime(fig, field) else None,
        )
    inner = qs.order_by().values(**columns)
    sql, params = inner.query.sql_with_params()
    connection = connections[qs.db]
    q = connection.ops.quote_name
    month = q("g_month") if by_month else "0"
    total = f"SUM({q('g_sum')})" if summed else "0"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {q('g_union')}, {month}, COUNT(*), {total} "
            f"FROM ({sql}) grouped GROUP BY {q('g_union')}{', ' + month if by_month else ''}",
            params,
        )
        # psycopg gives a numeric SUM as a Decimal already; str() only for a float column
        rows = cursor.fetchall()
    if not summed:
        zero = Decimal(0)
        return {(union_id, int(m or 0)): (n, zero) for union_id, m, n, _s in rows}
    return {(union_id, int(m or 0)): (n, _decimal(s)) for union_id, m, n, s in rows}


def _decimal(value) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    return Decimal(value or 0)


def _is_datetime(fig: Figure, model) -> bool:
    assert fig.date_field is not None
    return isinstance(date_field_of(model, fig.date_field), models.DateTimeField)


def _per_node(tree: Tree, tallies: dict[tuple[int, int], Tally]) -> dict[int, dict[int, Tally]]:
    """{node id: {month: (rows, sum)}}: each union's tallies added to every node above it.
    Unions are first added up by the nodes that cover them (about one group per township, where
    there are ~18,000 unions), then each group once to its nodes."""
    cover = tree.cover()
    counts: dict[tuple, int] = defaultdict(int)
    sums: dict[tuple, Decimal] = {}
    for (union_id, month), (n, s) in tallies.items():
        key = (cover.get(union_id, ()), month)
        counts[key] += n
        if s:
            sums[key] = sums.get(key, Decimal(0)) + s
    out: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(lambda: [0, Decimal(0)]))
    for key, n in counts.items():
        nodes, month = key
        s = sums.get(key, Decimal(0))
        for node_id in nodes:
            cell = out[node_id][month]
            cell[0] += n
            cell[1] += s
    return {node: {m: (c[0], c[1]) for m, c in months.items()} for node, months in out.items()}


def _points(
    fig: Figure, tree: Tree, *, year: int, root: Union, until: dt.date | None
) -> list[tuple[int, object, dt.date | None]]:
    """(union id, what is counted, local date it counts from) for a count of distinct things,
    for the whole city in one query: persons or enterprises from the figure's `reach` (dated
    when the reach gives a third column), or the local months of its records' `date_field` for
    "distinct_months" (a month counts from its first record's day). Up to `until` when given:
    filtered here on the local day, so the year's value, its months and its same date last
    year share one query (kept on the tree for this run)."""
    key = (fig.key, year, root.pk)
    if key not in tree.points:
        if any(k[0] != fig.key for k in tree.points):
            tree.points.clear()  # another figure's: the roll-up is done with it
        tree.points[key] = _fetch_points(fig, year=year, root=root)
    points = tree.points[key]
    if until is None:
        return points
    if points and points[0][2] is None:
        raise ValueError(f"figure {fig.key!r}: a distinct count has no within-year history")
    return [p for p in points if p[2] is not None and p[2] <= until]


def _fetch_points(fig: Figure, *, year: int, root: Union) -> list:
    if fig.aggregate == DISTINCT_MONTHS:
        assert fig.date_field is not None  # the declaration requires one
        qs = fig.records(year=year, union=root)
        day: TruncDate | F = (
            TruncDate(fig.date_field, tzinfo=timezone.get_default_timezone())
            if _is_datetime(fig, qs.model)
            else F(fig.date_field)
        )
        rows = qs.order_by().annotate(g_day=day).values_list(fig.union_path, "g_day").distinct()
        return [(union_id, (d.year, d.month), d) for union_id, d in rows]
    assert fig.reach is not None
    pairs = list(fig.reach(year=year, union=root).distinct().order_by())
    if pairs and len(pairs[0]) == 3:
        return [(union_id, who, _local_day(when)) for union_id, who, when in pairs]
    return [(union_id, who, None) for union_id, who in pairs]


def _local_day(when) -> dt.date | None:
    if isinstance(when, dt.datetime):
        return timezone.localtime(when).date()
    return when


def _first_dates(tree: Tree, points: list) -> dict[int, Any]:
    """{node id: {counted thing: the earliest date it reaches the node's subtree}}: a person
    under two unions counts once in their common ancestor, from the earlier of the two. Undated
    points (a reach of pairs) give {node id: set of counted things}: only their number matters."""
    cover = tree.cover()
    if all(when is None for _u, _w, when in points):
        # grouped first by the nodes covering each union (about one group per township)
        groups: dict[tuple[int, ...], set] = defaultdict(set)
        for union_id, who, _when in points:
            groups[cover.get(union_id, ())].add(who)
        sets: dict[int, set] = defaultdict(set)
        for nodes, whos in groups.items():
            for node_id in nodes:
                sets[node_id] |= whos
        return sets
    dated: dict[tuple[int, ...], dict[object, dt.date | None]] = defaultdict(dict)
    for union_id, who, when in points:
        _keep_earliest(dated[cover.get(union_id, ())], who, when)
    out: dict[int, dict[object, dt.date | None]] = defaultdict(dict)
    for nodes, firsts in dated.items():
        for node_id in nodes:
            seen = out[node_id]
            if not seen:
                seen.update(firsts)
                continue
            for who, when in firsts.items():
                _keep_earliest(seen, who, when)
    return out


def _keep_earliest(seen: dict, who: object, when: dt.date | None) -> None:
    known = seen.get(who)
    if known is None or (when is not None and when < known):
        seen[who] = when


def counts_distinct(fig: Figure) -> bool:
    return fig.aggregate in (DISTINCT_PERSONS, DISTINCT_ENTERPRISES, DISTINCT_MONTHS)


def values(
    fig: Figure, tree: Tree, *, year: int, root: Union, until: dt.date | None = None
) -> dict[int, Decimal]:
    """{node id: the figure's value for `year`} for every node of `tree` (records dated up to
    `until`, when given): `Figure.compute` / `compute_until` for each node, from one query."""
    if counts_distinct(fig):
        firsts = _first_dates(tree, _points(fig, tree, year=year, root=root, until=until))
        return {
            node.pk: finish(fig, len(firsts.get(node.pk, ())), Decimal(0)) for node in tree.nodes
        }
    qs = fig.records(year=year, union=root)
    if until is not None:
        qs = qs.filter(fig.until_q(qs.model, until))
    per_node = _per_node(tree, _tallies(fig, qs, by_month=False))
    return {
        node.pk: finish(fig, *per_node.get(node.pk, {}).get(0, (0, Decimal(0))))
        for node in tree.nodes
    }


def month_values(
    fig: Figure, tree: Tree, *, year: int, root: Union, cutoffs: list[dt.date | None]
) -> dict[int, list[Decimal | None]]:
    """{node id: twelve values, the figure as it stood at each month's cutoff (None for a month
    not begun)} from one query grouped by union and local month. `cutoffs` are
    `services.month_cutoffs`: month ends, then the as-of day, then None."""
    last = max((c for c in cutoffs if c is not None), default=None)
    if last is None:
        return {node.pk: [None] * 12 for node in tree.nodes}
    if counts_distinct(fig):
        return _distinct_months(fig, tree, year=year, root=root, cutoffs=cutoffs, last=last)
    qs = fig.records(year=year, union=root)
    qs = qs.filter(fig.until_q(qs.model, last))
    per_node = _per_node(tree, _tallies(fig, qs, by_month=True))
    return {node.pk: running(fig, per_node.get(node.pk, {}), cutoffs) for node in tree.nodes}


def running(
    fig: Figure, months: dict[int, Tally], cutoffs: list[dt.date | None]
) -> list[Decimal | None]:
    """One node's twelve values from its tallies by month: each month's value is the running
    total of the months up to it (None for a month not begun)."""
    rows, part = 0, Decimal(0)
    out: list[Decimal | None] = []
    for index, cutoff in enumerate(cutoffs, start=1):
        n, s = months.get(index, (0, Decimal(0)))
        rows, part = rows + n, part + s
        out.append(None if cutoff is None else finish(fig, rows, part))
    return out


def _distinct_months(
    fig: Figure,
    tree: Tree,
    *,
    year: int,
    root: Union,
    cutoffs: list[dt.date | None],
    last: dt.date,
) -> dict[int, list[Decimal | None]]:
    """month_values for a distinct count: at each cutoff, the things whose earliest date in the
    node's subtree is on or before it (`compute_until` for every node)."""
    firsts = _first_dates(tree, _points(fig, tree, year=year, root=root, until=last))
    out: dict[int, list[Decimal | None]] = {}
    for node in tree.nodes:
        counted = firsts.get(node.pk) or {}
        dated = counted.values() if isinstance(counted, dict) else ()  # a set: no dates
        days = sorted(d for d in dated if d is not None)
        out[node.pk] = [
            None if cutoff is None else finish(fig, bisect_right(days, cutoff), Decimal(0))
            for cutoff in cutoffs
        ]
    return out
