"""Reads for the dashboard, every one given the viewer. Values come from the year's current snapshot;
the drill-down reruns the figure's own records function, scoped to the viewer, so its rows add up
to the figure. (The dashboard owns no report-card figure, so it declares none.)"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from common.figures import DISTINCT_MONTHS, MONTH_COLUMN, Figure, load_all
from dashboard.models import Indicator, IndicatorTarget, RollupRun, Snapshot, SnapshotValue
from dashboard.services import HISTORY_LEVELS, ROLLUP_LEVELS, same_day_last_year
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
    progress: Decimal | None = None  # % of the union's own target (city or district)
    has_figure: bool = False
    definition: str = ""  # 统计口径, from the figure's declaration (common.figures)

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

    def headline(self, per_theme: int = 2) -> list[IndicatorRow]:
        """What a leader reads first: every figure that has a target for this union; without
        targets, the first figures of each line of work that have a value."""
        with_target = [r for r in self.rows if r.target is not None]
        if with_target:
            return with_target
        picked = []
        for _theme, _label, rows in self.by_theme():
            picked += [r for r in rows if r.value is not None][:per_theme]
        return picked

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
        top = viewer_union(viewer)  # loaded with the user (members/backends.py)
        union = top if top and top.code == code else Union.objects.filter(code=code).first()
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


def targets_for(
    year: int, union: Union | None = None
) -> dict[tuple[str, int, str], IndicatorTarget]:
    """The city's targets and published figures of `year` and the year before; for a district,
    its share of the city's targets (a published figure is the city's only). Any other union
    has none: targets are set to the city and split to districts."""
    qs = IndicatorTarget.objects.filter(year__in=[year - 1, year]).select_related("indicator")
    if union is None or union.level == Union.Level.CITY:
        qs = qs.filter(union__isnull=True)
    elif union.level == Union.Level.DISTRICT:
        qs = qs.filter(union=union, kind=IndicatorTarget.Kind.TARGET)
    else:
        qs = qs.none()
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


def snapshot_rows(snapshot: Snapshot | None, union: Union) -> dict[str, SnapshotValue]:
    """{indicator key: value row} for one union in the snapshot (with its months and same date
    last year)."""
    if snapshot is None:
        return {}
    rows = SnapshotValue.objects.filter(snapshot=snapshot, union=union).select_related("indicator")
    return {r.indicator.key: r for r in rows}


def as_of(snapshot: Snapshot) -> dt.date:
    """The day the snapshot's months were cut at (for a snapshot made before they were stored,
    the local day it was computed)."""
    return snapshot.as_of or timezone.localdate(snapshot.computed_at)


def project(so_far: Decimal, *, year: int, as_of: dt.date) -> Decimal | None:
    """Where a year-long sum is heading at the pace so far: the value up to `as_of` ÷ the share of
    the year elapsed by the end of that day. Only while the year runs: a year already over has its
    value (no projection is shown), one not begun has no pace."""
    if as_of.year != year:
        return None
    days = 366 if calendar.isleap(year) else 365
    elapsed = Decimal(as_of.timetuple().tm_yday) / Decimal(days)
    return (so_far / elapsed).quantize(Decimal("0.01"))


def so_far(months: list | None, *, year: int, as_of: dt.date) -> Decimal | None:
    """The value up to `as_of` from a row's months (the entry of `as_of`'s month), if it has them."""
    if not months or as_of.year != year or months[as_of.month - 1] is None:
        return None
    return Decimal(months[as_of.month - 1])


def live_history(
    fig: Figure, *, year: int, union: Union, today: dt.date
) -> tuple[Decimal | None, Decimal | None]:
    """(value up to today, same date last year) computed from the records now, for a union the
    roll-ups do not cover. Only for a dated figure while its year runs; a year already over
    compares with the previous year's whole value."""
    if fig.date_field is None:
        return None, None
    if today > dt.date(year, 12, 31):
        return None, fig.compute(year=year - 1, union=union)
    if today < dt.date(year, 1, 1):
        return None, None
    return (
        fig.compute_until(year=year, union=union, until=today),
        fig.compute_until(year=year - 1, union=union, until=same_day_last_year(today)),
    )


def board(*, viewer: Viewer, year: int, union: Union) -> Board:
    """Every indicator of the registry for `union` in `year`, from the current snapshot."""
    require_in_scope(viewer, union)
    figures = load_all()
    indicators = list(Indicator.objects.all())
    snapshot = current_snapshot(year=year)
    values: dict[str, Decimal] = {}
    before: dict[str, Decimal | None] = {}
    paced: dict[str, Decimal | None] = {}
    if union.level in ROLLUP_LEVELS:
        day = as_of(snapshot) if snapshot else timezone.localdate()
        for key, stored in snapshot_rows(snapshot, union).items():
            values[key] = stored.value
            before[key] = stored.last_year_same_date
            paced[key] = so_far(stored.months, year=year, as_of=day)
    else:
        # A grassroots union is not a roll-up node (there are thousands): its few figures are
        # computed from its records now, by the same figure functions.
        snapshot = None
        day = timezone.localdate()
        for i in indicators:
            if i.key in figures:
                values[i.key] = figures[i.key].compute(year=year, union=union)
                paced[i.key], before[i.key] = live_history(
                    figures[i.key], year=year, union=union, today=day
                )
    targets = targets_for(year, union)
    result = Board(year=year, union=union, snapshot=snapshot)
    result.live = union.level not in ROLLUP_LEVELS
    result.computed_at = (
        snapshot.computed_at if snapshot else (timezone.now() if result.live else None)
    )
    for indicator in indicators:
        key = indicator.key
        row = IndicatorRow(
            indicator=indicator,
            value=values.get(key),
            target=targets.get((key, year, "target")),
            baseline=targets.get((key, year - 1, "published")),
            published=targets.get((key, year, "published")),
            last_year_same_date=before.get(key),
            has_figure=key in figures,
            definition=figures[key].definition if key in figures else "",
        )
        # Only a figure whose records carry a date has a pace (a stock has none); it is projected
        # from what was counted up to the as-of day, not from records dated later in the year.
        so_far_value = paced.get(key)
        if so_far_value is not None and indicator.accumulates:
            row.projection = project(so_far_value, year=year, as_of=day)
        # The target is the union's own (the city's, or a district's share of it).
        if row.value is not None and row.target is not None and row.target.value:
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
    """For each indicator that has months for `union` in the current snapshot of `year` (a dated
    figure, at the city or a district), its running total of the year at the end of each month
    (twelve entries; None for months after the snapshot's as-of day). Indicators without months
    (stocks, figures without a date, townships, no snapshot) are left out."""
    require_in_scope(viewer, union)
    snapshot = current_snapshot(year=year)
    if snapshot is None:
        return {}
    rows = SnapshotValue.objects.filter(
        snapshot=snapshot, union=union, months__isnull=False
    ).values_list("indicator__key", "months")
    # months__isnull=False above: `or []` only tells the type checker so.
    return {
        key: [_num(None if v is None else Decimal(v)) for v in months or []] for key, months in rows
    }


def trend_note(indicator: Indicator, *, union: Union) -> str:
    """Why an indicator shows no monthly trend for `union` (it has none in the snapshot)."""
    fig = load_all().get(indicator.key)
    if fig is None:
        return _("暂无数据")
    if fig.date_field is None:
        if not indicator.accumulates:
            return _("暂无数据（存量指标）")
        # A flow counted by an integer year (an honour's year) or in distinct persons reached
        # through other records: its records carry no date to place it within the year.
        return _("暂无逐月数据（该指标不按记录日期累计）")
    if union.level not in HISTORY_LEVELS:
        return _("逐月走势只汇总到市和区县")
    return _("暂无数据")


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


def figure_records(*, viewer: Viewer, key: str, year: int, union: Union) -> tuple[Figure, QuerySet]:
    """The records behind figure `key` for `year` and `union`, intersected with the viewer's tree:
    the same records function the roll-up computed the figure from."""
    require_in_scope(viewer, union)
    fig = figure_for(key)
    qs = fig.records(year=year, union=union)
    # The path the figure declares it counts its records under: never a guess, never skipped.
    qs = qs.filter(fig.reach_q(qs.model, scope_q(viewer, fig.union_path)))
    return fig, qs.order_by("pk")


# How long a drill-down's count and total are kept: counting a district's or the city's records is
# a pass over the register (0.2–0.3 s at 681,000 members), once per viewer's scope per interval
# instead of on every page turn. The page says when it counted.
DRILL_COUNT_SECONDS = 300


@dataclass(frozen=True)
class DrillTotals:
    count: int
    total: Decimal
    counted_at: dt.datetime


def drilldown_totals(
    *, viewer: Viewer, fig: Figure, qs: QuerySet, year: int, union: Union
) -> DrillTotals:
    """The number of records behind the figure and their total, as counted at most
    DRILL_COUNT_SECONDS ago for the same figure, year, union and viewer's scope."""
    from dashboard.caching import cached

    top = viewer_union(viewer)
    scope = "city" if sees_whole_city(viewer) else (top.path if top else "none")
    key = f"dash:drill:{fig.key}:{year}:{union.pk}:{scope}"

    def count() -> DrillTotals:
        rows = qs.count()
        return DrillTotals(rows, fig.value_of(qs, rows=rows), timezone.now())

    return cached(key, count, timeout=DRILL_COUNT_SECONDS)


def record_fields(fig: Figure) -> tuple[list[str], list[str]]:
    """Headers and lookup names for a figure's records: its declared columns, then the amount each
    record adds to the figure (1 for a count, the `total`/`share_of` field otherwise)."""
    headers = [label for label, _name in fig.columns] or [_("记录")]
    names = [name for _label, name in fig.columns] or ["pk"]
    amount = fig.total or fig.share_of
    if amount:
        headers.append(_("计入数"))
        names.append(amount)
    if fig.aggregate == DISTINCT_MONTHS:
        # The figure is the number of distinct values of this column, not of rows.
        headers.append(_("计入月份"))
        names.append(MONTH_COLUMN)
    return headers, names


def record_rows(fig: Figure, qs: QuerySet) -> tuple[list[str], QuerySet]:
    """Headers and a values_list queryset of the figure's records (see record_fields)."""
    headers, names = record_fields(fig)
    if fig.aggregate == DISTINCT_MONTHS:
        qs = fig.with_month(qs)
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
    """Rows with stored choice codes replaced by their labels. Only the columns that have
    choices are touched: an export runs this over every record of the city."""
    columns = [(i, m) for i, m in enumerate(maps) if m]
    if not columns:
        yield from rows
        return
    for row in rows:
        out = list(row)
        for i, m in columns:
            out[i] = m.get(out[i], out[i])
        yield tuple(out)
