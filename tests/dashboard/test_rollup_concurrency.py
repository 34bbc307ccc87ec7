"""Two roll-ups of one year at the same moment, on real threads against PostgreSQL."""

import threading

import pytest
from django.db import connection

from common.figures import Figure
from dashboard import services
from dashboard.models import RollupRun, Snapshot
from members.models import Union
from tests.dashboard.factories import IndicatorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_rollups_of_one_year_started_together_never_interleave(tree, member_figures):
    # given: a figure that holds whichever run gets to it until the other has tried
    IndicatorFactory(key="test_slow_figure")
    inside = threading.Event()
    release = threading.Event()

    def slow(*, year, union):
        inside.set()
        release.wait(timeout=20)
        return Union.objects.filter(pk=union.pk)

    figures = {
        **member_figures,
        "test_slow_figure": Figure(key="x", records=slow, union_path="union", aggregate="sum"),
    }
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def run(name: str) -> None:
        try:
            start.wait(timeout=10)
            services.rollup_year(year=2024, figures=figures)
            outcomes[name] = "succeeded"
        except services.RollupBusy:
            outcomes[name] = "refused"
            release.set()  # the loser has been turned away: let the winner finish
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in ("a", "b")]

    # when
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    # then
    assert sorted(outcomes.values()) == ["refused", "succeeded"]
    assert inside.is_set()
    statuses = sorted(RollupRun.objects.values_list("status", flat=True))
    assert statuses == [RollupRun.Status.REFUSED, RollupRun.Status.SUCCEEDED]
    snapshot = Snapshot.objects.get()
    assert snapshot.is_current
    assert snapshot.run.status == RollupRun.Status.SUCCEEDED
    assert snapshot.values.count() == 4 * 6
