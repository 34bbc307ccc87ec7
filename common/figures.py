"""The contract between the apps and the dashboard: every report-card figure is declared next to
the records it counts.

An app's selectors module declares, for each report-card key it owns:

    @figure("pre_shift_person_times", total="person_times", columns=[("活动", "title"), ...])
    def pre_shift_person_times(*, year: int, union: Union) -> QuerySet[Activity]:
        '''The records behind the figure for `year`, for `union` and everything under it.'''
        return Activity.objects.filter(...).annotate(person_times=...)

and the figure is computed from exactly that queryset, so the drill-down list (the same queryset,
scoped to the viewer) always adds up to the figure:

- `total=None`: each record counts 1 (the figure is the number of rows);
- `total="field"`: the figure is the sum of that field or annotation over the rows;
- `divisor`: the sum is divided (e.g. 10000 for yuan shown in 万元), rounded to `places`;
- `share_of="field"`: a percentage: 100 × sum(field) / number of rows (e.g. coverage);
- `date_field="lookup"`: the date (or datetime) on the records returned that places each record
  within the year, by exactly the field the records function filters the year on (e.g.
  "starts_at", "paid_on", "course__starts_on"). With it the figure can be computed as it stood on
  any day of the year (`compute_until`: the dashboard's months and same date last year). Left None
  for a stock at year end (members on the register, stations open on 31 December), a figure
  counted by an integer year (an honour's `year`), or one whose date lies on records other than
  those returned (distinct members or enterprises reached through a subquery): such a figure has
  no within-year history.

Every figure also declares, and cannot be declared without, how its records reach a union and how
it adds up across unions (the drill-down scopes by the first, the roll-up groups by both):

- `union_path="lookup"`: the lookup path from the records returned to the Union each counts
  under, exactly the path the records function filters the union's subtree on ("union",
  "station__union", "course__union", "visits__union" for persons reached through their visits).
  With `through=("app.Model", "field")` the path starts instead at the rows of that model whose
  `field` points at the record (for records reached through a model with no reverse accessor,
  e.g. the enterprises a pre-shift session reached);
- `aggregate=` one of AGGREGATES:
  - "sum": each record counts under one union (its `union_path`), so a union's figure is the sum
    of its children's plus its own records' (a count of rows, or a sum of `total`);
  - "distinct_persons": persons (one row per person) reached through other records: a person can
    count under two unions, so a parent's figure may be less than its children's sum;
  - "distinct_enterprises": the same for enterprises (organisations reached);
  - "share": a percentage, `share_of` over the number of rows: numerator and denominator each
    add up across unions, the share does not;
  - "distinct_months": the number of distinct calendar months (in Huzhou time) of `date_field`
    over the records (e.g. the months in which a 会员日 was held: at most 12). The drill-down
    lists the records; two records of one month count once, so a parent's figure is at most
    the largest, not the sum, of its children's.

Every figure carries its definition (统计口径), `definition="..."`, in Chinese: what is counted,
from which records, whether distinct, over which period. It is required (a figure without one is
refused at import), shown on the dashboard card and the drill-down, and printed in the report
card, so the wording is reviewed with the code that implements it.

A figure that may be read as cumulative (the card says 累计) declares `cumulative=True`: its
records function takes `since` (a date or None) and counts the records dated from `since` to the
end of `year` instead of within `year`. The start date is data, not code: it is stored with the
indicator (dashboard.Indicator.cumulative_since, edited by city staff) and looked up through
`set_period_start` when the caller does not pass `since`, so the roll-up, the drill-down and any
other caller of `fig.records(year=..., union=...)` read the same period.

A distinct count may also declare `reach=`: a function `(*, year, union)` returning, as a
two-column `values_list`, the (union id, person's id_number_hash or enterprise id) pairs that
place each counted person or enterprise under a union of `union`'s subtree — the same rows its
records function filters the subtree on; optionally a third column, the record's `date_field` value,
when the figure has one (the pair counts from that day: months and same date last year are then
grouped too). The roll-up then counts every node of the tree from one
query of those pairs instead of one query per node (dashboard/grouped.py); a distinct count
without it is computed node by node.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

RecordsFn = Callable[..., QuerySet]

SUM = "sum"
DISTINCT_PERSONS = "distinct_persons"
DISTINCT_ENTERPRISES = "distinct_enterprises"
SHARE = "share"
DISTINCT_MONTHS = "distinct_months"
AGGREGATES = (SUM, DISTINCT_PERSONS, DISTINCT_ENTERPRISES, SHARE, DISTINCT_MONTHS)
# The column a distinct-months drill-down adds: the month each record counts in.
MONTH_COLUMN = "counted_month"

# Where a cumulative figure's start date comes from (set by the dashboard app: the date is stored
# with its indicator); None until set, and then every figure reads its own year.
_period_start: Callable[[str], dt.date | None] | None = None
_UNSET = object()


def set_period_start(source: Callable[[str], dt.date | None] | None) -> None:
    """Install the function that gives a cumulative figure's start date from its key."""
    global _period_start
    _period_start = source


def period_start(key: str) -> dt.date | None:
    return _period_start(key) if _period_start is not None else None


@dataclass(frozen=True)
class Figure:
    key: str
    records: RecordsFn
    union_path: str
    aggregate: str
    total: str | None = None
    divisor: int = 1
    places: int = 0
    share_of: str | None = None
    columns: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    app: str = ""
    date_field: str | None = None
    through: tuple[str, str] | None = None
    definition: str = ""
    cumulative: bool = False
    reach: RecordsFn | None = None

    def __post_init__(self):
        check_declaration(
            self.key,
            union_path=self.union_path,
            aggregate=self.aggregate,
            total=self.total,
            share_of=self.share_of,
            through=self.through,
            date_field=self.date_field,
            cumulative=self.cumulative,
            reach=self.reach,
        )

    @property
    def additive(self) -> bool:
        """Whether a union's figure is its children's figures plus its own records' (a sum)."""
        return self.aggregate == SUM

    def reach_q(self, model: type[models.Model], q: models.Q) -> models.Q:
        """`q`, a filter on the union the records count under (built on `union_path`, e.g.
        `members.scoping.scope_q(viewer, fig.union_path)`), as a filter on `model`, the records'
        model. A path through a one-to-many relation, or `through` another model, becomes a
        subquery so that a record reached twice is still one row."""
        if self.through is not None:
            from django.apps import apps

            label, field_name = self.through
            rows = apps.get_model(label)._default_manager.filter(q)
            return models.Q(pk__in=rows.values(field_name))
        if crosses_many(model, self.union_path):
            return models.Q(pk__in=model._default_manager.filter(q).values("pk"))
        return q

    def compute(self, *, year: int, union) -> Decimal:
        """The figure's value for `year` and `union` (and everything under it)."""
        return self.value_of(self.records(year=year, union=union))

    def compute_until(self, *, year: int, union, until: dt.date) -> Decimal:
        """The figure's value for `year` and `union` counting only the records dated on or before
        `until` (a local date in the project's time zone): the year as it stood at the end of that
        day. Raises ValueError for a figure without a `date_field`."""
        if self.date_field is None:
            raise ValueError(
                f"figure {self.key!r} has no date_field: it has no within-year history"
            )
        qs = self.records(year=year, union=union)
        return self.value_of(qs.filter(self.until_q(qs.model, until)))

    def until_q(self, model: type[models.Model], until: dt.date) -> models.Q:
        """The filter "dated on or before the local day `until`" on `model`'s `date_field`."""
        if self.date_field is None:
            raise ValueError(
                f"figure {self.key!r} has no date_field: it has no within-year history"
            )
        if isinstance(date_field_of(model, self.date_field), models.DateTimeField):
            # A datetime belongs to the day it falls on in Huzhou: 23:30 on 31 December local is
            # 15:30 UTC and counts on the 31st, so compare with the start of the next local day
            # (an aware datetime) rather than with the UTC date.
            next_day = dt.datetime.combine(
                until + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_default_timezone()
            )
            return models.Q(**{f"{self.date_field}__lt": next_day})
        return models.Q(**{f"{self.date_field}__lte": until})

    def with_month(self, qs: QuerySet) -> QuerySet:
        """`qs` annotated with MONTH_COLUMN, the first day of the local month of `date_field`."""
        if isinstance(date_field_of(qs.model, self.date_field), models.DateTimeField):
            month = TruncMonth(self.date_field, tzinfo=timezone.get_default_timezone())
        else:
            month = TruncMonth(self.date_field)
        return qs.annotate(**{MONTH_COLUMN: month})

    def value_of(self, qs: QuerySet, *, rows: int | None = None) -> Decimal:
        """The figure over the records `qs`. `rows`: qs.count(), when the caller has it already
        (a drill-down page counts its rows for its pages): a figure that counts rows then costs
        no second COUNT over what can be the whole city's members."""
        if self.aggregate == DISTINCT_MONTHS:
            months = self.with_month(qs).order_by().values(MONTH_COLUMN).distinct()
            value = Decimal(months.count())
        elif self.share_of:
            agg = qs.aggregate(n=Count("pk"), part=Sum(self.share_of))
            if not agg["n"]:
                return Decimal(0)
            value = Decimal(100) * Decimal(agg["part"] or 0) / Decimal(agg["n"])
        elif self.total:
            value = Decimal(qs.aggregate(s=Sum(self.total))["s"] or 0)
        else:
            value = Decimal(qs.count() if rows is None else rows)
        if self.divisor != 1:
            value = value / Decimal(self.divisor)
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)


def date_field_of(model: type[models.Model], lookup: str) -> models.DateField:
    """The DateField or DateTimeField that `lookup` ("paid_on", "course__starts_on") reaches from
    `model` through its relations. Raises FieldDoesNotExist for a name that is not there and
    ValueError when the lookup does not end on a date."""
    current, found = model, None
    for part in lookup.split("__"):
        if current is None:
            raise ValueError(f"{lookup!r} goes through {found!r}, which is not a relation")
        found = current._meta.get_field(part)
        current = found.related_model
    if not isinstance(found, models.DateField):  # DateTimeField is a DateField
        raise ValueError(f"{lookup!r} on {model.__name__} is not a date or datetime field")
    return found


def crosses_many(model: type[models.Model], lookup: str) -> bool:
    """Whether `lookup` from `model` goes through a relation that can hold several rows (a
    reverse foreign key or a many-to-many), so that filtering on it could repeat a record."""
    current = model
    for part in lookup.split("__"):
        found = current._meta.get_field(part)
        if found.one_to_many or found.many_to_many:
            return True
        current = found.related_model
        if current is None:
            return False
    return False


def check_declaration(
    key: str,
    *,
    union_path: str | None,
    aggregate: str | None,
    total: str | None,
    share_of: str | None,
    through: tuple[str, str] | None,
    date_field: str | None = None,
    cumulative: bool = False,
    reach: RecordsFn | None = None,
) -> None:
    """Refuse (ValueError, at import of the declaring module) a figure that does not say how its
    records reach a union and how it aggregates, or says it inconsistently."""
    if not union_path or not isinstance(union_path, str):
        raise ValueError(
            f"figure {key!r}: declare union_path, the lookup from its records to the Union "
            'each counts under (e.g. "union", "station__union")'
        )
    if not union_path.endswith("union"):
        raise ValueError(f"figure {key!r}: union_path {union_path!r} must end at a union")
    if aggregate not in AGGREGATES:
        raise ValueError(
            f"figure {key!r}: aggregate must be one of {AGGREGATES}, not {aggregate!r}"
        )
    if (aggregate == SHARE) != bool(share_of):
        raise ValueError(f"figure {key!r}: a share (and only a share) declares share_of")
    if aggregate in (DISTINCT_PERSONS, DISTINCT_ENTERPRISES) and total:
        raise ValueError(f"figure {key!r}: a count of distinct rows has no total")
    if through is not None and (len(through) != 2 or "." not in through[0]):
        raise ValueError(f'figure {key!r}: through is ("app.Model", "field to the record")')
    if aggregate == DISTINCT_MONTHS and (total or not date_field):
        raise ValueError(
            f"figure {key!r}: a count of distinct months needs a date_field and has no total"
        )
    if cumulative and not date_field:
        raise ValueError(f"figure {key!r}: a cumulative figure counts from a date: declare it")
    if reach is not None and aggregate not in (DISTINCT_PERSONS, DISTINCT_ENTERPRISES):
        raise ValueError(f"figure {key!r}: only a count of distinct rows declares reach")


def check_union_path(fig: "Figure", model: type[models.Model]) -> None:
    """Raise ValueError unless `fig.union_path` leads from `model` (or its `through` model) to a
    Union through real relations."""
    from django.apps import apps

    start = apps.get_model(fig.through[0]) if fig.through else model
    current = start
    for part in fig.union_path.split("__"):
        if current is None:
            raise ValueError(f"figure {fig.key!r}: {fig.union_path!r} leaves the relations")
        try:
            current = current._meta.get_field(part).related_model
        except FieldDoesNotExist as exc:
            raise ValueError(
                f"figure {fig.key!r}: {fig.union_path!r} is not a path from {start.__name__}"
            ) from exc
    if current is None or current._meta.label != "members.Union":
        raise ValueError(f"figure {fig.key!r}: {fig.union_path!r} does not end at a Union")


REGISTRY: dict[str, Figure] = {}


def _source(fig: Figure) -> RecordsFn:
    return getattr(fig.records, "__wrapped__", fig.records)


def figure(
    key: str,
    *,
    total: str | None = None,
    divisor: int = 1,
    places: int = 0,
    share_of: str | None = None,
    columns: list[tuple[str, str]] | None = None,
    date_field: str | None = None,
    union_path: str | None = None,
    aggregate: str | None = None,
    through: tuple[str, str] | None = None,
    definition: str | None = None,
    cumulative: bool = False,
    reach: RecordsFn | None = None,
):
    """Register the decorated records function as the source of report-card figure `key`.
    `union_path`, `aggregate` and `definition` are required (see the module docstring): a figure
    that does not say how its records reach a union, or what it counts, is refused when its
    module is imported."""
    check_declaration(
        key,
        union_path=union_path,
        aggregate=aggregate,
        total=total,
        share_of=share_of,
        through=through,
        date_field=date_field,
        cumulative=cumulative,
        reach=reach,
    )
    if not definition or not isinstance(definition, str) or not definition.strip():
        raise ValueError(
            f"figure {key!r}: declare its definition (统计口径), in Chinese: what is counted, "
            "from which records, whether distinct, over which period"
        )

    def register(fn: RecordsFn) -> RecordsFn:
        if key in REGISTRY and _source(REGISTRY[key]) is not fn:
            raise ValueError(f"figure {key!r} is declared twice")
        records = fn
        if cumulative:

            def records(*, year: int, union, since=_UNSET):
                # The stored start date unless the caller names one (None: the year alone).
                start = period_start(key) if since is _UNSET else since
                return fn(year=year, union=union, since=start)

            records.__wrapped__ = fn
            records.__doc__ = fn.__doc__
        fig = Figure(
            key=key,
            records=records,
            definition=definition.strip(),
            cumulative=cumulative,
            union_path=union_path,
            aggregate=aggregate,
            through=through,
            reach=reach,
            total=total,
            divisor=divisor,
            places=places,
            share_of=share_of,
            columns=tuple(columns or ()),
            app=fn.__module__.split(".")[0],
            date_field=date_field,
        )
        REGISTRY[key] = fig
        return fn

    return register


def load_all() -> dict[str, Figure]:
    """Import every installed app's selectors module so that all figures are registered."""
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.selectors")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.selectors":
                raise
    for fig in REGISTRY.values():
        if fig.key not in _PATHS_CHECKED:
            check_union_path(fig, record_model(fig))
            _PATHS_CHECKED.add(fig.key)
    return REGISTRY


_PATHS_CHECKED: set[str] = set()


def record_model(fig: Figure) -> type[models.Model]:
    """The model of the figure's records: its records function builds a queryset (lazily, it
    is not run) for a union that is not saved."""
    from members.models import Union

    extra = {"since": None} if fig.cumulative else {}  # no look-up of the stored start here
    return fig.records(year=2000, union=Union(code="", path="/"), **extra).model
