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


def test_an_export_job_runs_on_a_real_worker_and_a_second_delivery_writes_nothing(
    tree, records, staff, worker
):
    # given: a queued export of the city's register, as the drill-down's button records it
    import io

    import openpyxl

    from common.export_jobs import export_chunks
    from common.models import ExportChunk, ExportJob
    from common.tasks import export_run_task

    queue, proc = worker
    job = ExportJob.objects.create(
        kind="figure",
        params={"key": "registered_members", "year": 2024, "union": tree.city.code},
        union=tree.city,
        title="会员数-湖州市-2024",
        requested_by=staff["city_admin"],
    )

    # when: the message is delivered twice
    export_run_task.apply_async(kwargs={"job_id": job.pk}, queue=queue)
    export_run_task.apply_async(kwargs={"job_id": job.pk}, queue=queue)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            time.sleep(2)  # time for the second delivery to be taken too
            break
        if proc.poll() is not None:
            pytest.fail(f"worker exited with {proc.returncode}: {proc.stdout.read()}")
        time.sleep(0.3)
    else:
        proc.terminate()
        pytest.fail(f"no result from the worker within 90 s: {proc.communicate(timeout=15)[0]}")

    # then: one file, whose records add up to the figure (10 on the 2024 register)
    job.refresh_from_db()
    assert job.status == "done", job.message
    assert (job.rows_done, job.rows_total) == (10, 10)
    seqs = list(ExportChunk.objects.filter(job=job).values_list("seq", flat=True))
    assert seqs == list(range(len(seqs)))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export_chunks(job)))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows[2:-1]) == 10 and rows[-1][:2] == ("合计", 10)
