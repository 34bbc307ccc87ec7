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
- `share_of="field"`: a percentage: 100 × sum(field) / number of rows (e.g. coverage).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet, Sum

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

    def compute(self, *, year: int, union) -> Decimal:
        """The figure's value for `year` and `union` (and everything under it)."""
        return self.value_of(self.records(year=year, union=union))

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


REGISTRY: dict[str, Figure] = {}


def figure(
    key: str,
    *,
    total: str | None = None,
    divisor: int = 1,
    places: int = 0,
    share_of: str | None = None,
    columns: list[tuple[str, str]] | None = None,
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
