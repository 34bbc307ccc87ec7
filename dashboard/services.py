"""Roll-ups: compute every indicator of the registry for one year, for the city and every district
and township union, and store the result as that year's current snapshot.

How two runs are kept apart and how a failure is survived:
- a run claims the year's RollupLock row with a conditional UPDATE (the row is free, or its holder's
  heartbeat is older than DASHBOARD_ROLLUP_STALE_MINUTES) and checks the row count; a second run of
  the same year is refused (RollupBusy) and says so on its RollupRun row;
- the values are computed outside any transaction (so progress is visible while it runs), then the
  new snapshot is written and made current in ONE transaction, so a run that fails or is killed
  half-way leaves the last good snapshot current;
- a run that is killed (no `finally` runs) stops beating; after the stale interval the next run
  takes the claim over and marks the dead run failed.

The months and the same date last year: for the city and each district (the townships are many and
the pages show their trend less), every figure whose records carry a date (Figure.date_field) is
also computed as it stood at the end of each month of the year, up to the day the run started (its
`as_of`), and for the previous year up to the same day of the year. They are stored on the value
rows and published with them, so the trend shows the year's months whenever the roll-up ran.
"""

import calendar
import datetime as dt
import logging
import time
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.figures import Figure, load_all
from common.queueing import send_after_commit
from dashboard import grouped, grouped_years
from dashboard.models import Indicator, RollupLock, RollupRun, Snapshot, SnapshotValue
from members.models import Union
from members.scoping import is_city_staff

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 2
ROLLUP_LEVELS = (Union.Level.CITY, Union.Level.DISTRICT, Union.Level.TOWNSHIP)
# The nodes whose months and same date last year a roll-up computes (about 13 queries per dated
# figure per node: the townships would double the run for a chart few read).
HISTORY_LEVELS = (Union.Level.CITY, Union.Level.DISTRICT)


class RollupBusy(Exception):
    """Another roll-up of the same year holds the claim and is alive."""


class RollupSuperseded(Exception):
    """This run's claim was taken over (its heartbeat went stale): it must not publish."""


def stale_after() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "DASHBOARD_ROLLUP_STALE_MINUTES", 10))


def can_start_rollup(user: User | None) -> bool:
    """City staff (`members.scoping.is_city_staff`, the one answer the admin's target editing
    uses too), or anyone granted dashboard.run_rollup in person, may start a roll-up; it recomputes the
    whole city, so district staff and read-only leadership may not."""
    if user is None or not user.is_authenticated:
        return False
    # The grant counts when given to the person: the city admins' role group carries it too, and
    # through the group it would let a city-admin role attached to a district start a roll-up
    # that is_city_staff refuses it (the role is answered by is_city_staff alone).
    return is_city_staff(user) or "dashboard.run_rollup" in user.get_user_permissions()


def rollup_nodes() -> list[Union]:
    """The unions a snapshot holds values for: the city, the districts and the townships."""
    return list(Union.objects.filter(level__in=ROLLUP_LEVELS).order_by("path"))


def validate_year(year: int) -> None:
    this_year = timezone.localdate().year
    if not 2000 <= year <= this_year + 1:
        raise ValidationError(
            _("年度 %(year)s 无效：请填写 2000 至 %(max)s 之间的年份。")
            % {"year": year, "max": this_year + 1}
        )


def running_run(*, year: int) -> RollupRun | None:
    """The run that holds `year` and is alive, if any."""
    lock = RollupLock.objects.filter(
        year=year, run__isnull=False, heartbeat_at__gte=timezone.now() - stale_after()
    ).first()
    return lock.run if lock else None


@transaction.atomic
def rollup_request(*, year: int, by: User) -> RollupRun:
    """Start a roll-up of `year` from the dashboard: queue a run and hand it to a Celery worker once
    this transaction commits. Refused while another roll-up of that year is running."""
    if not can_start_rollup(by):
        raise PermissionDenied(_("只有市总工会管理员可以发起指标汇总。"))
    validate_year(year)
    if busy := running_run(year=year):
        raise ValidationError(
            _("%(year)s 年度已有一次汇总正在进行（任务 #%(run)s，已完成 %(pct)s%%），请稍后再试。")
            % {"year": year, "run": busy.pk, "pct": busy.percent}
        )
    run = RollupRun.objects.create(year=year, requested_by=by)

    def unavailable() -> None:
        # Say so on the run, rather than leave it "queued" for ever: the page shows the
        # message and the next request may try again (a failed run holds no claim).
        RollupRun.objects.filter(pk=run.pk, status=RollupRun.Status.QUEUED).update(
            status=RollupRun.Status.FAILED,
            finished_at=timezone.now(),
            message=str(_("任务队列暂时不可用，本次汇总未能开始，请稍后重试。")),
        )

    from dashboard.tasks import rollup_year_task

    send_after_commit(
        lambda: rollup_year_task.delay(year=year, run_id=run.pk),
        on_unavailable=unavailable,
        what=f"roll-up run {run.pk} of {year}",
    )
    return run


def rollup_year(
    *,
    year: int,
    run: RollupRun | None = None,
    by: User | None = None,
    figures: dict[str, Figure] | None = None,
    as_of: dt.date | None = None,
) -> RollupRun:
    """Compute every registered indicator for `year` for every roll-up node and publish the result
    as the year's current snapshot. Returns the run (status succeeded). Raises RollupBusy (the run
    is marked refused) if another live run holds the year; re-raises whatever a figure raised after
    marking the run failed, leaving the previous snapshot current. `figures` defaults to every
    app's registered figures; an indicator with no figure is left out of the snapshot (no data).
    `as_of` (default: today) shows the year as it stood on that day: dated records after it are
    not counted, and the months, last year's same date and the projection follow it."""
    validate_year(year)
    registry = load_all() if figures is None else figures
    run = run or RollupRun.objects.create(year=year, requested_by=by)
    if not _claim(run):
        holder = running_run(year=year)
        message = _("%(year)s 年度已有一次汇总正在进行（任务 #%(run)s），本次未执行。") % {
            "year": year,
            "run": holder.pk if holder else "?",
        }
        RollupRun.objects.filter(pk=run.pk).update(
            status=RollupRun.Status.REFUSED, finished_at=timezone.now(), message=message
        )
        run.refresh_from_db()
        raise RollupBusy(message)
    try:
        started = timezone.now()
        clock = time.monotonic()
        indicators = [i for i in Indicator.objects.all() if i.key in registry]
        nodes = rollup_nodes()
        RollupRun.objects.filter(pk=run.pk).update(
            status=RollupRun.Status.RUNNING,
            started_at=started,
            heartbeat_at=started,
            finished_at=None,
            progress_done=0,
            progress_total=len(indicators) * len(nodes),
            message="",
        )
        cut_off = as_of is not None and as_of < dt.date(year, 12, 31)
        as_of = as_of or timezone.localdate(started)
        values: list[SnapshotValue] = []
        tree = grouped.Tree(nodes)
        root = next((n for n in nodes if n.level == Union.Level.CITY and n.parent_id is None), None)
        history_nodes = [n for n in nodes if n.level in HISTORY_LEVELS]
        last_beat = time.monotonic()
        for indicator in indicators:
            fig = registry[indicator.key]
            values.extend(
                figure_rows(
                    fig,
                    indicator,
                    year=year,
                    as_of=as_of,
                    tree=tree,
                    root=root,
                    history_nodes=history_nodes,
                    cut_off=cut_off,
                )
            )
            # Beat (and show progress) every few seconds, not after every query.
            if time.monotonic() - last_beat >= HEARTBEAT_SECONDS:
                _heartbeat(run, len(values))
                last_beat = time.monotonic()
        _heartbeat(run, len(values))
        duration = dt.timedelta(seconds=time.monotonic() - clock)
        _publish(run, values=values, computed_at=started, as_of=as_of, duration=duration)
    except Exception as exc:
        _fail(run, exc)
        raise
    run.refresh_from_db()
    log.info("roll-up %s of %s: %s values in %s", run.pk, year, len(values), duration)
    return run


def figure_rows(
    fig: Figure,
    indicator: Indicator,
    *,
    year: int,
    as_of: dt.date,
    tree: "grouped.Tree",
    root: Union | None,
    history_nodes: list[Union],
    cut_off: bool = False,
) -> list[SnapshotValue]:
    """The snapshot rows of one figure for every roll-up node: from one grouped query per value
    kind (the year, its months, last year) when the figure's declaration allows it
    (dashboard/grouped.py), else node by node through the figure's records function. With
    `cut_off` (a roll-up asked for as of a day inside the year) a dated figure counts its records
    up to `as_of` only."""
    until = as_of if cut_off and fig.date_field is not None else None
    if root is None or not grouped.groupable(fig):
        rows = []
        for node in tree.nodes:
            value = (
                fig.compute(year=year, union=node)
                if until is None
                else fig.compute_until(year=year, union=node, until=until)
            )
            row = SnapshotValue(indicator=indicator, union=node, value=value)
            if node.level in HISTORY_LEVELS:
                row.months, row.last_year_same_date = history(
                    fig, year=year, union=node, as_of=as_of, value=row.value
                )
            rows.append(row)
        return rows
    with_history = bool(history_nodes) and as_of >= dt.date(year, 1, 1)
    over = as_of > dt.date(year, 12, 31)
    months: dict[int, list] = {}
    last_year: dict[int, Decimal] = {}
    # A summed figure's passes over the same rows made one (dashboard/grouped_years.py): a
    # stock's year and last year (the register was read once per year), a dated figure's year
    # and its months.
    merged = None
    dated = fig.date_field is not None
    if with_history and not grouped.counts_distinct(fig) and (dated or over):
        merged = grouped_years.year_and_last(
            fig,
            tree,
            year=year,
            root=root,
            until=until,
            cutoffs=month_cutoffs(year=year, as_of=as_of) if dated else None,
            last_year=not dated,
        )
    if merged is not None:
        now, months, last_year = merged
        if dated:
            until = None if over else same_day_last_year(as_of)
            last_year = grouped.values(fig, tree, year=year - 1, root=root, until=until)
    else:
        now = grouped.values(fig, tree, year=year, root=root, until=until)
    rows = [
        SnapshotValue(indicator=indicator, union=node, value=now[node.pk]) for node in tree.nodes
    ]
    if not with_history:
        return rows
    if merged is None and fig.date_field is None:
        if over:
            last_year = grouped.values(fig, tree, year=year - 1, root=root)
    elif merged is None and grouped.months_groupable(fig, root=root):
        months = grouped.month_values(
            fig, tree, year=year, root=root, cutoffs=month_cutoffs(year=year, as_of=as_of)
        )
        until = None if over else same_day_last_year(as_of)
        last_year = grouped.values(fig, tree, year=year - 1, root=root, until=until)
    for row in rows:
        if row.union.level not in HISTORY_LEVELS:
            continue
        if fig.date_field is not None and not grouped.months_groupable(fig, root=root):
            row.months, row.last_year_same_date = history(
                fig, year=year, union=row.union, as_of=as_of, value=row.value
            )
            continue
        if fig.date_field is not None:
            row.months = [None if v is None else str(v) for v in months[row.union.pk]]
            if as_of >= dt.date(year, 12, 31):
                row.months[11] = str(row.value)
        row.last_year_same_date = last_year.get(row.union.pk)
    return rows


def same_day_last_year(day: dt.date) -> dt.date:
    """The same day of the year before (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def month_cutoffs(*, year: int, as_of: dt.date) -> list[dt.date | None]:
    """For each month of `year`, the last day counted in it as of `as_of`: the month's end, the
    day `as_of` itself in its own month, None for a month not begun yet."""
    cutoffs: list[dt.date | None] = []
    for month in range(1, 13):
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
        start = end.replace(day=1)
        cutoffs.append(None if as_of < start else min(end, as_of))
    return cutoffs


def history(
    fig: Figure, *, year: int, union: Union, as_of: dt.date, value: Decimal
) -> tuple[list[str | None] | None, Decimal | None]:
    """(months, same date last year) of figure `fig` for `year` and `union`, as of `as_of`.

    months: the value at the end of each month (the running total of the year; twelve decimal
    strings, None for months after `as_of`), or None for a figure with no date (a stock).
    same date last year: year−1 up to the same day of the year as `as_of`; for a year already over
    that is year−1's whole value, for any figure (a stock's year-end value compares too); None for
    a year not begun, or a stock while its year runs (its value on that day a year ago is not
    something its records function can say)."""
    over = as_of > dt.date(year, 12, 31)
    if as_of < dt.date(year, 1, 1):
        return None, None
    if fig.date_field is None:
        return None, (fig.compute(year=year - 1, union=union) if over else None)
    months: list[str | None] = []
    for cutoff in month_cutoffs(year=year, as_of=as_of):
        if cutoff is None:
            months.append(None)
        elif cutoff == dt.date(year, 12, 31):
            months.append(str(value))  # the whole year: the value itself, already computed
        else:
            months.append(str(fig.compute_until(year=year, union=union, until=cutoff)))
    if over:
        last_year = fig.compute(year=year - 1, union=union)
    else:
        last_year = fig.compute_until(year=year - 1, union=union, until=same_day_last_year(as_of))
    return months, last_year


def _claim(run: RollupRun) -> bool:
    RollupLock.objects.get_or_create(year=run.year)
    now = timezone.now()
    claimed = (
        RollupLock.objects.filter(year=run.year)
        .filter(
            Q(run__isnull=True)
            | Q(heartbeat_at__isnull=True)
            | Q(heartbeat_at__lt=now - stale_after())
        )
        .update(run=run, heartbeat_at=now)
    )
    if claimed != 1:
        return False
    # Any other run of this year still marked running lost its claim by going silent: it was killed.
    RollupRun.objects.filter(year=run.year, status=RollupRun.Status.RUNNING).exclude(
        pk=run.pk
    ).update(
        status=RollupRun.Status.FAILED,
        finished_at=now,
        message=_("超过 %(minutes)s 分钟没有心跳，视为中断；已由任务 #%(run)s 接替。")
        % {"minutes": int(stale_after().total_seconds() // 60), "run": run.pk},
    )
    return True


def _heartbeat(run: RollupRun, done: int) -> None:
    now = timezone.now()
    if not RollupLock.objects.filter(year=run.year, run=run).update(heartbeat_at=now):
        raise RollupSuperseded(_("本次汇总的占用已被接替（心跳超时），结果不予发布。"))
    RollupRun.objects.filter(pk=run.pk).update(progress_done=done, heartbeat_at=now)


@transaction.atomic
def _publish(
    run: RollupRun,
    *,
    values: list[SnapshotValue],
    computed_at: dt.datetime,
    as_of: dt.date,
    duration: dt.timedelta,
) -> Snapshot:
    lock = RollupLock.objects.select_for_update().get(year=run.year)
    if lock.run_id != run.pk:
        raise RollupSuperseded(_("本次汇总的占用已被接替（心跳超时），结果不予发布。"))
    snapshot = Snapshot.objects.create(
        year=run.year,
        run=run,
        computed_at=computed_at,
        as_of=as_of,
        duration=duration,
        is_current=False,
    )
    for value in values:
        value.snapshot = snapshot
    SnapshotValue.objects.bulk_create(values, batch_size=2000)
    # Switch "current" only now that the whole new snapshot is written, in the same transaction.
    Snapshot.objects.filter(year=run.year, is_current=True).update(is_current=False)
    Snapshot.objects.filter(pk=snapshot.pk).update(is_current=True)
    now = timezone.now()
    RollupRun.objects.filter(pk=run.pk).update(
        status=RollupRun.Status.SUCCEEDED,
        finished_at=now,
        heartbeat_at=now,
        progress_done=len(values),
        message=_("共计算 %(n)s 个数值，用时 %(seconds).1f 秒。")
        % {"n": len(values), "seconds": duration.total_seconds()},
    )
    RollupLock.objects.filter(pk=lock.pk).update(run=None, heartbeat_at=None)
    return snapshot


def _fail(run: RollupRun, exc: Exception) -> None:
    RollupRun.objects.filter(pk=run.pk).update(
        status=RollupRun.Status.FAILED,
        finished_at=timezone.now(),
        message=(_("汇总失败，仍显示上一次成功的结果：%(error)s") % {"error": exc})[:2000],
    )
    RollupLock.objects.filter(year=run.year, run=run).update(run=None, heartbeat_at=None)


# --- city targets split to districts -------------------------------------------------------

# Units a city target of which is a sum of the districts' (a count, money): split by share. A
# rate (a percentage) holds for every district as it is for the city.
SPLIT_UNITS = ("person_times", "persons", "events", "items", "yuan_10k")


def card_round(value: Decimal, unit: str) -> Decimal:
    """A target as the report card writes it: a count of 10,000 or more to 0.1万 (a thousand),
    a smaller count to one, money (万元) to 0.1, half up (dashboard.exports.short)."""
    from decimal import ROUND_HALF_UP

    if unit == "yuan_10k":
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if abs(value) >= 10_000:
        return (value / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP) * 1000
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def _district_weights(
    fig: Figure | None, *, basis_year: int, districts: list[Union], city: Union | None
) -> list:
    """Each district's share of the city's figure in `basis_year`, from the records; equal shares
    when the records hold nothing to weigh by. One grouped query per figure for all districts
    (the roll-up's way): node by node, the seed's split took two minutes at city scale."""
    values: list[Decimal] = []
    if fig is not None:
        if city is not None and grouped.groupable(fig):
            by_node = grouped.values(fig, grouped.Tree(districts), year=basis_year, root=city)
            values = [Decimal(by_node.get(d.pk) or 0) for d in districts]
        else:
            values = [Decimal(fig.compute(year=basis_year, union=d) or 0) for d in districts]
    total = sum(values, Decimal(0))
    if not values or total <= 0:
        return [Decimal(1) / len(districts)] * len(districts)
    return [v / total for v in values]


@transaction.atomic
def targets_split_to_districts(*, year: int, basis_year: int, by) -> int:
    """Split each of the city's targets of `year` to the districts, in proportion to each
    district's share of the indicator in `basis_year` (a rate is copied as it is), rounded as the
    card writes it. A district target already set (a city clerk may have changed it) is kept.
    Returns the number of district targets written. City staff or the system only."""
    from dashboard.models import IndicatorTarget
    from members.actors import SystemActor
    from members.history import acting_as

    if not (isinstance(by, SystemActor) or is_city_staff(by)):
        raise PermissionDenied(_("只有市总工会管理员可以分解年度目标。"))
    districts = list(Union.objects.filter(level=Union.Level.DISTRICT).order_by("code"))
    if not districts:
        return 0
    figures = load_all()
    city = Union.objects.filter(level=Union.Level.CITY, parent__isnull=True).first()
    city_targets = IndicatorTarget.objects.filter(
        year=year, kind=IndicatorTarget.Kind.TARGET, union__isnull=True
    ).select_related("indicator")
    written = 0
    with acting_as(by):
        for target in city_targets:
            unit = target.indicator.unit
            if unit in SPLIT_UNITS:
                weights = _district_weights(
                    figures.get(target.indicator.key),
                    basis_year=basis_year,
                    districts=districts,
                    city=city,
                )
                values = [card_round(target.value * w, unit) for w in weights]
            else:
                values = [target.value] * len(districts)
            for district, value in zip(districts, values, strict=True):
                _row, created = IndicatorTarget.objects.get_or_create(
                    indicator=target.indicator,
                    year=year,
                    kind=IndicatorTarget.Kind.TARGET,
                    union=district,
                    defaults={"comparator": target.comparator, "value": value},
                )
                written += created
    return written
