"""The roll-up task on a real Celery worker, over the real Redis, against the test database."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from dashboard.models import RollupRun, Snapshot
from dashboard.tasks import rollup_year_task

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.slow,
    pytest.mark.skipif(
        not settings.REDIS_URL, reason="REDIS_URL is not set: no Redis broker to run a worker on"
    ),
]

ROOT = Path(settings.BASE_DIR)


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.fixture
def worker():
    """A worker on a queue of its own, so it takes no other test's messages and no other
    worker takes ours."""
    queue = f"dashboard-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "DJANGO_SETTINGS_MODULE": "huzhou_union.settings",
    }
    celery = Path(sys.executable).with_name("celery")
    proc = subprocess.Popen(
        [
            str(celery),
            "-A",
            "huzhou_union",
            "worker",
            "-P",
            "solo",
            "--concurrency",
            "1",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        connection.close()


def test_the_rollup_task_runs_on_a_real_worker_and_stores_the_snapshot(tree, records, worker):
    # given
    queue, proc = worker
    run = RollupRun.objects.create(year=2024)

    # when
    rollup_year_task.apply_async(kwargs={"year": 2024, "run_id": run.pk}, queue=queue)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status in (RollupRun.Status.SUCCEEDED, RollupRun.Status.FAILED):
            break
        if proc.poll() is not None:
            pytest.fail(f"worker exited with {proc.returncode}: {proc.stdout.read()}")
        time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail(f"no result from the worker within 90 s: {proc.communicate(timeout=15)[0]}")

    # then
    assert run.status == RollupRun.Status.SUCCEEDED, run.message
    snapshot = Snapshot.objects.get(year=2024, is_current=True)
    assert snapshot.run == run
    values = dict(
        snapshot.values.filter(indicator__key="registered_members").values_list(
            "union__code", "value"
        )
    )
    assert values == {
        tree.city.code: 10,
        tree.wuxing.code: 5,
        tree.zhili.code: 5,
        tree.balidian.code: 0,
        tree.nanxun.code: 5,
        tree.shuanglin.code: 5,
    }
    assert run.progress_done == snapshot.values.count() > 0
