import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from common.figures import Figure
from dashboard import services
from dashboard.models import RollupLock, RollupRun, Snapshot, SnapshotValue
from members.models import Enterprise, Member, Union
from tests.dashboard.conftest import EXPECTED_2024, MEMBER_KEYS
from tests.dashboard.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


def values_of(snapshot: Snapshot) -> dict[tuple[str, str], Decimal]:
    return {
        (v.indicator.key, v.union.code): v.value
        for v in snapshot.values.select_related("indicator", "union")
    }


def test_rollup_stores_every_indicator_for_city_districts_and_townships(
    tree, records, member_figures
):
    # when
    run = services.rollup_year(year=2024, figures=member_figures)

    # then
    snapshot = Snapshot.objects.get(year=2024, is_current=True)
    assert run.status == RollupRun.Status.SUCCEEDED
    assert snapshot.run == run
    assert snapshot.duration > dt.timedelta(0)
    assert run.progress_done == run.progress_total == 3 * 6
    expected = {
        (key, getattr(tree, node).code): Decimal(n) for (key, node), n in EXPECTED_2024.items()
    }
    assert values_of(snapshot) == expected


def test_each_member_figure_matches_an_independent_count_of_the_records(
    tree, records, member_figures
):
    # given: the same counts done without the selectors
    end = dt.date(2024, 12, 31)
    on_register = Member.objects.filter(joined_on__lte=end).exclude(left_on__lte=end)
    # then
    for (key, node), n in EXPECTED_2024.items():
        union = getattr(tree, node)
        assert member_figures[key].compute(year=2024, union=union) == n, (key, node)
    assert on_register.count() == EXPECTED_2024[("registered_members", "city")]
    assert Enterprise.objects.filter(reform_pilot_year__lte=2024).count() == 1


def test_an_indicator_without_a_figure_is_left_out_of_the_snapshot(tree, member_figures):
    # given
    IndicatorFactory(key="test_not_declared_anywhere")

    # when
    services.rollup_year(year=2024, figures=member_figures)

    # then
    snapshot = Snapshot.objects.get(is_current=True)
    keys = set(snapshot.values.values_list("indicator__key", flat=True))
    assert keys == set(MEMBER_KEYS)


def test_grassroots_unions_are_not_rollup_nodes(tree, member_figures):
    # when
    services.rollup_year(year=2024, figures=member_figures)

    # then
    levels = set(SnapshotValue.objects.values_list("union__level", flat=True))
    assert levels == {Union.Level.CITY, Union.Level.DISTRICT, Union.Level.TOWNSHIP}


def test_a_failed_rollup_leaves_the_last_good_snapshot_current_and_the_next_run_completes(
    tree, records, member_figures
):
    # given: a good snapshot, then a figure that raises on the third node
    good_run = services.rollup_year(year=2024, figures=member_figures)
    good = Snapshot.objects.get(is_current=True)
    good_values = values_of(good)
    IndicatorFactory(key="test_breaks_mid_run")
    calls = []
    source = {"down": True}

    def breaks(*, year, union):
        calls.append(union.code)
        if source["down"] and len(calls) == 3:
            raise RuntimeError("数据源不可用")
        return Union.objects.filter(pk=union.pk)

    broken = {
        **member_figures,
        "test_breaks_mid_run": Figure(key="x", records=breaks, union_path="union", aggregate="sum"),
    }

    # when
    with pytest.raises(RuntimeError):
        services.rollup_year(year=2024, figures=broken)

    # then
    failed = RollupRun.objects.exclude(pk=good_run.pk).get()
    assert failed.status == RollupRun.Status.FAILED
    assert "数据源不可用" in failed.message
    assert list(Snapshot.objects.all()) == [good]
    assert Snapshot.objects.get(is_current=True) == good
    assert values_of(good) == good_values
    assert RollupLock.objects.get(year=2024).run is None

    # when: the next run, with the figure repaired
    source["down"] = False
    run = services.rollup_year(year=2024, figures=broken)

    # then
    current = Snapshot.objects.get(is_current=True)
    assert run.status == RollupRun.Status.SUCCEEDED
    assert current.run == run
    assert current != good
    assert Snapshot.objects.count() == 2
    assert current.values.filter(indicator__key="test_breaks_mid_run").count() == 6


def test_a_live_claim_refuses_a_second_rollup_of_the_same_year(tree, member_figures):
    # given: a run that holds 2024 and beat a minute ago
    holder = RollupRun.objects.create(
        year=2024, status=RollupRun.Status.RUNNING, started_at=timezone.now()
    )
    RollupLock.objects.create(
        year=2024, run=holder, heartbeat_at=timezone.now() - dt.timedelta(minutes=1)
    )

    # when
    with pytest.raises(services.RollupBusy):
        services.rollup_year(year=2024, figures=member_figures)

    # then
    refused = RollupRun.objects.exclude(pk=holder.pk).get()
    assert refused.status == RollupRun.Status.REFUSED
    assert f"#{holder.pk}" in refused.message
    assert Snapshot.objects.count() == 0
    assert RollupLock.objects.get(year=2024).run == holder
    holder.refresh_from_db()
    assert holder.status == RollupRun.Status.RUNNING


def test_a_stale_claim_is_taken_over_and_the_dead_run_marked_failed(tree, member_figures):
    # given: a run that was killed: it holds 2024 but has not beaten for 11 minutes
    dead = RollupRun.objects.create(
        year=2024,
        status=RollupRun.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=30),
    )
    RollupLock.objects.create(
        year=2024, run=dead, heartbeat_at=timezone.now() - dt.timedelta(minutes=11)
    )

    # when
    run = services.rollup_year(year=2024, figures=member_figures)

    # then
    dead.refresh_from_db()
    assert run.status == RollupRun.Status.SUCCEEDED
    assert dead.status == RollupRun.Status.FAILED
    assert "心跳" in dead.message
    assert Snapshot.objects.get(is_current=True).run == run
    assert RollupLock.objects.get(year=2024).run is None


def test_a_rollup_of_another_year_is_not_blocked(tree, member_figures):
    # given
    holder = RollupRun.objects.create(year=2025, status=RollupRun.Status.RUNNING)
    RollupLock.objects.create(year=2025, run=holder, heartbeat_at=timezone.now())

    # when
    run = services.rollup_year(year=2024, figures=member_figures)

    # then
    assert run.status == RollupRun.Status.SUCCEEDED


def test_a_run_whose_claim_was_taken_over_does_not_publish(tree, member_figures):
    # given: while the run computes, another run takes its claim (as after a long stall)
    usurper = RollupRun.objects.create(year=2024, status=RollupRun.Status.RUNNING)

    def steal(*, year, union):
        RollupLock.objects.filter(year=2024).update(run=usurper, heartbeat_at=timezone.now())
        return Union.objects.none()

    IndicatorFactory(key="test_steals_the_claim")
    figures = {
        **member_figures,
        "test_steals_the_claim": Figure(
            key="x", records=steal, union_path="union", aggregate="sum"
        ),
    }

    # when
    with pytest.raises(services.RollupSuperseded):
        services.rollup_year(year=2024, figures=figures)

    # then
    assert Snapshot.objects.count() == 0
    assert RollupLock.objects.get(year=2024).run == usurper


def test_rollup_command_runs_the_same_work_synchronously(tree, records, capsys):
    # when
    call_command("rollup", "--year", "2024")

    # then
    snapshot = Snapshot.objects.get(year=2024, is_current=True)
    assert snapshot.values.get(indicator__key="registered_members", union=tree.city).value == 10
    assert "2024 年度汇总完成" in capsys.readouterr().out


def test_rollup_refuses_a_year_out_of_range(tree, member_figures):
    # when
    with pytest.raises(ValidationError):
        services.rollup_year(year=1999, figures=member_figures)

    # then
    assert RollupRun.objects.count() == 0


def test_the_nightly_task_without_a_year_rolls_up_the_current_year(tree):
    # given
    from dashboard.tasks import rollup_year_task

    # when
    run_id = rollup_year_task.apply().get()

    # then
    run = RollupRun.objects.get(pk=run_id)
    assert (run.year, run.status) == (timezone.localdate().year, RollupRun.Status.SUCCEEDED)
    assert Snapshot.objects.get(is_current=True).run == run


def test_the_rollup_command_is_refused_visibly_while_another_rollup_runs(tree):
    # given
    from django.core.management.base import CommandError

    holder = RollupRun.objects.create(year=2024, status=RollupRun.Status.RUNNING)
    RollupLock.objects.create(year=2024, run=holder, heartbeat_at=timezone.now())

    # when
    with pytest.raises(CommandError, match="正在进行"):
        call_command("rollup", "--year", "2024")

    # then
    assert Snapshot.objects.count() == 0
    assert RollupLock.objects.get(year=2024).run == holder
