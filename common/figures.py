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
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

RecordsFn = Callable[..., QuerySet]


@dataclass(frozen=True)
class Figure:
    key: str
    records: RecordsFn
    total: str | None = None
    divisor: int = 1
    places: int = 0
    share_of: str | None = None
    columns: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    app: str = ""
    date_field: str | None = None

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

    def value_of(self, qs: QuerySet) -> Decimal:
        if self.share_of:
            agg = qs.aggregate(n=Count("pk"), part=Sum(self.share_of))
            if not agg["n"]:
                return Decimal(0)
            value = Decimal(100) * Decimal(agg["part"] or 0) / Decimal(agg["n"])
        elif self.total:
            value = Decimal(qs.aggregate(s=Sum(self.total))["s"] or 0)
        else:
            value = Decimal(qs.count())
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


REGISTRY: dict[str, Figure] = {}


def figure(
    key: str,
    *,
    total: str | None = None,
    divisor: int = 1,
    places: int = 0,
    share_of: str | None = None,
    columns: list[tuple[str, str]] | None = None,
    date_field: str | None = None,
):
    """Register the decorated records function as the source of report-card figure `key`."""

    def register(fn: RecordsFn) -> RecordsFn:
        if key in REGISTRY and REGISTRY[key].records is not fn:
            raise ValueError(f"figure {key!r} is declared twice")
        REGISTRY[key] = Figure(
            key=key,
            records=fn,
            total=total,
            divisor=divisor,
            places=places,
            share_of=share_of,
            columns=tuple(columns or ()),
            app=fn.__module__.split(".")[0],
            date_field=date_field,
        )
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
    return REGISTRY
