"""Reads for the dashboard, every one given the viewer. Values come from the year's current snapshot;
the drill-down reruns the figure's own records function, scoped to the viewer, so its rows add up
to the figure. (The dashboard owns no report-card figure, so it declares none.)"""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import ForeignKey, Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from common.figures import Figure, load_all
from dashboard.models import Indicator, IndicatorTarget, RollupRun, Snapshot, SnapshotValue
from dashboard.services import ROLLUP_LEVELS
from members.models import Union
from members.scoping import (
    Viewer,
    require_in_scope,
    scope_q,
    sees_whole_city,
    viewer_union,
)


@dataclass
class IndicatorRow:
    """One indicator for one union in one year. `value` is None when no figure computes it or no
    snapshot holds it: shown as 暂无数据, never as a number."""

    indicator: Indicator
    value: Decimal | None = None
    target: IndicatorTarget | None = None
    baseline: IndicatorTarget | None = None  # the figure published for the year before
    published: IndicatorTarget | None = None  # the figure published for this year
    last_year_same_date: Decimal | None = None
    projection: Decimal | None = None
    progress: Decimal | None = None  # % of target (city only: targets are the city's)
    has_figure: bool = False

    @property
    def met(self) -> bool | None:
        if self.target is None or self.value is None:
            return None
        return self.target.is_met(self.value)


@dataclass
class Board:
    year: int
    union: Union
    snapshot: Snapshot | None
    rows: list[IndicatorRow] = field(default_factory=list)
    live: bool = False  # computed from records just now (a union the roll-ups do not cover)
    computed_at: dt.datetime | None = None

    def by_theme(self) -> list[tuple[str, str, list[IndicatorRow]]]:
        return [
            (
                theme.value,
                str(theme.label),
                [r for r in self.rows if r.indicator.theme == theme.value],
            )
            for theme in Indicator.Theme
        ]


def default_union(viewer: Viewer) -> Union | None:
    if sees_whole_city(viewer):
        return Union.objects.filter(level=Union.Level.CITY).order_by("path").first()
    return viewer_union(viewer)


def union_for(*, viewer: Viewer, code: str | None) -> Union:
    """The union named by `code` (default: the top of the viewer's tree). Raises Http404 for an
    unknown code and PermissionDenied for a union outside the viewer's tree."""
    if code:
        union = Union.objects.filter(code=code).first()
        if union is None:
            raise Http404(_("没有编码为“%(code)s”的工会组织。") % {"code": code})
    else:
        union = default_union(viewer)
        if union is None:
            raise PermissionDenied(_("您的账号未分配所属工会，无权查看。"))
    require_in_scope(viewer, union)
    return union


def viewer_nodes(*, viewer: Viewer) -> list[Union]:
    """The roll-up nodes (city, districts, townships) the viewer may choose between."""
    qs = Union.objects.filter(level__in=ROLLUP_LEVELS).filter(scope_q(viewer, ""))
    return list(qs.order_by("path"))


def current_snapshot(*, year: int) -> Snapshot | None:
    return Snapshot.objects.filter(year=year, is_current=True).first()


def latest_year() -> int:
    """The latest year that has a snapshot, else the current year."""
    snap = Snapshot.objects.filter(is_current=True).order_by("-year").first()
    return snap.year if snap else timezone.localdate().year


def targets_for(year: int) -> dict[tuple[str, int, str], IndicatorTarget]:
    qs = IndicatorTarget.objects.filter(year__in=[year - 1, year]).select_related("indicator")
    return {(t.indicator.key, t.year, t.kind): t for t in qs}


def snapshot_values(
    snapshot: Snapshot | None, unions: list[Union]
) -> dict[tuple[int, str], Decimal]:
    """{(union id, indicator key): value} for the given unions in the snapshot."""
    if snapshot is None:
        return {}
    rows = SnapshotValue.objects.filter(snapshot=snapshot, union__in=unions).values_list(
        "union_id", "indicator__key", "value"
    )
    return {(u, k): v for u, k, v in rows}


def same_date_last_year(snapshot: Snapshot) -> Snapshot | None:
    """The previous year's snapshot as it stood on the same date a year before (the latest one
    computed by then), or None when the history does not reach back that far."""
    try:
        then = snapshot.computed_at.replace(year=snapshot.computed_at.year - 1)
    except ValueError:  # 29 February
        then = snapshot.computed_at - dt.timedelta(days=365)
    return (
        Snapshot.objects.filter(year=snapshot.year - 1, computed_at__lte=then)
        .order_by("-computed_at")
        .first()
    )


def project(value: Decimal, *, year: int, as_of: dt.datetime) -> Decimal:
    """Where a year-long sum is heading at the pace so far: value ÷ share of the year elapsed at
    `as_of`. A year already over is its value."""
    day = timezone.localtime(as_of).date()
    if day.year > year:
        return value
    if day.year < year:
        return Decimal(0)
    days = 366 if calendar.isleap(year) else 365
    elapsed = Decimal(day.timetuple().tm_yday) / Decimal(days)
    return (value / elapsed).quantize(Decimal("0.01"))


def board(*, viewer: Viewer, year: int, union: Union) -> Board:
    """Every indicator of the registry for `union` in `year`, from the current snapshot."""
    require_in_scope(viewer, union)
    figures = load_all()
    indicators = list(Indicator.objects.all())
    snapshot = current_snapshot(year=year)
    if union.level in ROLLUP_LEVELS:
        values = snapshot_values(snapshot, [union])
        previous = same_date_last_year(snapshot) if snapshot else None
        before = snapshot_values(previous, [union])
    else:
        # A grassroots union is not a roll-up node (there are thousands): its few figures are
        # computed from its records now, by the same figure functions.
        snapshot, before = None, {}
        values = {
            (union.pk, i.key): figures[i.key].compute(year=year, union=union)
            for i in indicators
            if i.key in figures
        }
    targets = targets_for(year)
    result = Board(year=year, union=union, snapshot=snapshot)
    result.live = union.level not in ROLLUP_LEVELS
    result.computed_at = (
        snapshot.computed_at if snapshot else (timezone.now() if result.live else None)
    )
    for indicator in indicators:
        key = indicator.key
        row = IndicatorRow(
            indicator=indicator,
            value=values.get((union.pk, key)),
            target=targets.get((key, year, "target")),
            baseline=targets.get((key, year - 1, "published")),
            published=targets.get((key, year, "published")),
            last_year_same_date=before.get((union.pk, key)),
            has_figure=key in figures,
        )
        if row.value is not None and result.computed_at and indicator.accumulates:
            row.projection = project(row.value, year=year, as_of=result.computed_at)
        if (
            row.value is not None
            and row.target is not None
            and row.target.value
            and union.level == Union.Level.CITY
        ):
            row.progress = (Decimal(100) * row.value / row.target.value).quantize(Decimal("0.1"))
        result.rows.append(row)
    return result


def children_matrix(*, viewer: Viewer, year: int, union: Union) -> dict:
    """The nodes directly under `union` (districts under the city, townships under a district),
    side by side: {"nodes": [{code, name}], "values": {key: [value or None per node]}}."""
    require_in_scope(viewer, union)
    children = [u for u in viewer_nodes(viewer=viewer) if u.parent_id == union.pk]
    values = snapshot_values(current_snapshot(year=year), children)
    keys = Indicator.objects.values_list("key", flat=True)
    return {
        "nodes": [{"code": u.code, "name": u.name} for u in children],
        "values": {k: [_num(values.get((u.pk, k))) for u in children] for k in keys},
    }


def monthly_trend(*, viewer: Viewer, year: int, union: Union) -> dict[str, list[float | None]]:
    """For each indicator, its value for `union` at the end of each month of `year`: the last
    successful snapshot computed in that month (the nightly roll-ups are the history). Months with
    no snapshot are None."""
    require_in_scope(viewer, union)
    last_in_month: dict[int, Snapshot] = {}
    for snap in Snapshot.objects.filter(year=year).order_by("computed_at"):
        moment = timezone.localtime(snap.computed_at)
        if moment.year == year:
            last_in_month[moment.month] = snap
        elif moment.year > year:  # computed after the year closed: the year's final figures
            last_in_month[12] = snap
    rows = SnapshotValue.objects.filter(
        snapshot__in=list(last_in_month.values()), union=union
    ).values_list("snapshot_id", "indicator__key", "value")
    by_snapshot: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for snap_id, key, value in rows:
        by_snapshot[snap_id][key] = value
    trend = {}
    for key in Indicator.objects.values_list("key", flat=True):
        trend[key] = [
            _num(by_snapshot[last_in_month[m].pk].get(key)) if m in last_in_month else None
            for m in range(1, 13)
        ]
    return trend


def recent_runs(*, year: int, limit: int = 5) -> QuerySet[RollupRun]:
    return RollupRun.objects.filter(year=year).select_related("requested_by")[:limit]


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- drill-down --------------------------------------------------------------------------------


def figure_for(key: str) -> Figure:
    figures = load_all()
    if key not in figures or not Indicator.objects.filter(key=key).exists():
        raise Http404(_("指标“%(key)s”暂无数据来源。") % {"key": key})
    return figures[key]


PREFERRED = {"union": 0, "member": 1, "enterprise": 2}


def union_lookup(model: type[Model], depth: int = 2) -> str | None:
    """The lookup path from `model` to the Union it belongs to ("" for Union itself, "union",
    "member__union", "enterprise__union"...), found through foreign keys, or None."""
    if model is Union:
        return ""
    frontier: list[tuple[type[Model], str]] = [(model, "")]
    for _level in range(depth):
        next_frontier = []
        for current, prefix in frontier:
            fks = [f for f in current._meta.get_fields() if isinstance(f, ForeignKey)]
            # A record's own union wins over any other path (a transfer's from/to, a parent), and
            # the way through its member or enterprise over any other relation.
            fks.sort(key=lambda f: (PREFERRED.get(f.name, len(PREFERRED)), f.name))
            for fk in fks:
                if fk.related_model is Union and fk.name == "union":
                    return f"{prefix}{fk.name}"
            for fk in fks:
                if fk.related_model is not Union and fk.related_model is not current:
                    next_frontier.append((fk.related_model, f"{prefix}{fk.name}__"))
        frontier = next_frontier
    return None


def figure_records(*, viewer: Viewer, key: str, year: int, union: Union) -> tuple[Figure, QuerySet]:
    """The records behind figure `key` for `year` and `union`, intersected with the viewer's tree:
    the same records function the roll-up computed the figure from."""
    require_in_scope(viewer, union)
    fig = figure_for(key)
    qs = fig.records(year=year, union=union)
    lookup = union_lookup(qs.model)
    if lookup is not None:
        qs = qs.filter(scope_q(viewer, lookup))
    return fig, qs.order_by("pk")


def record_fields(fig: Figure) -> tuple[list[str], list[str]]:
    """Headers and lookup names for a figure's records: its declared columns, then the amount each
    record adds to the figure (1 for a count, the `total`/`share_of` field otherwise)."""
    headers = [label for label, _name in fig.columns] or [_("记录")]
    names = [name for _label, name in fig.columns] or ["pk"]
    amount = fig.total or fig.share_of
    if amount:
        headers.append(_("计入数"))
        names.append(amount)
    return headers, names


def record_rows(fig: Figure, qs: QuerySet) -> tuple[list[str], QuerySet]:
    """Headers and a values_list queryset of the figure's records (see record_fields)."""
    headers, names = record_fields(fig)
    return headers, qs.values_list(*names)


def choice_labels(model: type[Model], names: list[str]) -> list[dict | None]:
    """For each column name (a lookup path), the {value: label} map of its field's choices, or
    None: so a list shows 快递员, not the stored code."""
    maps: list[dict | None] = []
    for name in names:
        current, field_ = model, None
        try:
            for part in name.split("__"):
                field_ = current._meta.get_field(part)
                current = field_.related_model or current
        except Exception:  # an annotation, not a field
            field_ = None
        choices = getattr(field_, "choices", None)
        maps.append({k: str(v) for k, v in choices} if choices else None)
    return maps


def labelled(rows, maps: list[dict | None]):
    """Rows with stored choice codes replaced by their labels."""
    for row in rows:
        yield tuple(m.get(v, v) if m else v for v, m in zip(row, maps, strict=False))
