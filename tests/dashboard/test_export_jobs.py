"""Issue 13 (exports as jobs) and 10.4 (the file at rest): a drill-down too large for a request
becomes an export job with a progress page and a scoped, expiring download; the file adds up to
the figure, is kept sealed, is deleted after expiry, and a re-delivered task writes nothing."""

import datetime as dt

import pytest
from django.utils import timezone
from kombu import pools as kombu_pools

from common.export_jobs import export_run, sweep_export_jobs
from common.models import ExportChunk, ExportJob
from common.uploads import unseal
from dashboard import services
from huzhou_union.celery import app as celery_app
from tests.common.export_helpers import finish_export, job_from_redirect, sheet_rows

pytestmark = pytest.mark.django_db

EXPORT = "/dashboard/figures/registered_members/export/"


@pytest.fixture
def rolled_up(tree, records, member_figures):
    services.rollup_year(year=2024, figures=member_figures)


@pytest.fixture
def small_inline_limit(settings):
    # The fixture tree has ten records: any of its exports counts as "large" above two rows.
    settings.EXPORT_INLINE_MAX_ROWS = 2


def start(client, union_code: str):
    return client.post(EXPORT, {"year": 2024, "union": union_code})


def test_a_large_drilldown_export_becomes_a_job_whose_file_adds_up_to_the_figure(
    client, staff, tree, rolled_up, small_inline_limit
):
    # given
    client.force_login(staff["district_admin"])

    # when
    response = start(client, tree.wuxing.code)
    job, content = finish_export(client, response)

    # then: the job records who asked what, and the file's records add up to the figure
    assert (job.kind, job.requested_by, job.union, job.status) == (
        "figure",
        staff["district_admin"],
        tree.wuxing,
        "done",
    )
    assert job.params == {"key": "registered_members", "year": 2024, "union": tree.wuxing.code}
    assert (job.rows_done, job.rows_total, job.holds_full_ids) == (5, 5, False)
    assert job.expires_at > timezone.now()
    rows = sheet_rows(content)
    header, records, total = rows[1], rows[2:-1], rows[-1]
    assert header[0] == "姓名"
    assert len(records) == 5
    assert total[:2] == ("合计", 5)
    assert job.downloads == 1


def test_a_small_drilldown_export_comes_back_at_once_without_a_job(client, staff, tree, rolled_up):
    # given
    client.force_login(staff["district_admin"])

    # when
    response = start(client, tree.wuxing.code)

    # then
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert sheet_rows(response.content)[-1][:2] == ("合计", 5)
    assert ExportJob.objects.count() == 0


def test_a_get_of_a_large_excel_export_offers_the_job_and_starts_nothing(
    client, staff, tree, rolled_up, small_inline_limit
):
    # given
    client.force_login(staff["city_admin"])

    # when
    response = client.get(
        "/dashboard/figures/registered_members/",
        {"year": 2024, "union": tree.city.code, "format": "xlsx"},
    )

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "共 10 条记录" in page and 'action="/dashboard/figures/registered_members/export/"' in page
    )
    assert ExportJob.objects.count() == 0


def test_the_progress_page_refreshes_itself_without_script_until_the_file_is_ready(
    client, staff, tree, rolled_up, small_inline_limit
):
    # given: a job queued, not yet run
    client.force_login(staff["district_admin"])
    job = job_from_redirect(start(client, tree.wuxing.code))

    # when
    waiting = client.get(f"/exports/{job.pk}/").content.decode()
    export_run(job.pk)
    ready = client.get(f"/exports/{job.pk}/").content.decode()

    # then: a meta refresh while it waits (CSP allows no inline script), 下载 once done
    assert '<meta http-equiv="refresh"' in waiting and "排队中" in waiting
    assert "<script" not in waiting
    assert '<meta http-equiv="refresh"' not in ready
    assert "已完成" in ready and f'href="/exports/{job.pk}/download/"' in ready and "下载" in ready


@pytest.mark.parametrize("role", ["nanxun_admin", "grassroots_admin"])
def test_staff_outside_the_jobs_union_get_404_on_its_page_and_its_file(
    client, staff, tree, rolled_up, small_inline_limit, role
):
    # given: 吴兴's district admin exported 吴兴's records
    client.force_login(staff["district_admin"])
    job, _content = finish_export(client, start(client, tree.wuxing.code))

    # when: 南浔's admin, and a grassroots admin below 吴兴 (a narrower tree), ask for it
    client.force_login(staff[role])
    page = client.get(f"/exports/{job.pk}/")
    download = client.get(f"/exports/{job.pk}/download/")
    missing = client.get("/exports/999999/")

    # then: exactly what a job that does not exist answers
    assert page.status_code == download.status_code == missing.status_code == 404
    assert "吴兴" not in page.content.decode()
    job.refresh_from_db()
    assert job.downloads == 1


def test_staff_over_the_jobs_union_may_fetch_a_file_without_full_id_numbers(
    client, staff, tree, rolled_up, small_inline_limit
):
    # given
    client.force_login(staff["district_admin"])
    job, _content = finish_export(client, start(client, tree.wuxing.code))

    # when
    client.force_login(staff["leadership"])
    download = client.get(f"/exports/{job.pk}/download/")

    # then
    assert download.status_code == 200
    assert sheet_rows(b"".join(download.streaming_content))[-1][:2] == ("合计", 5)


def test_the_file_is_kept_sealed_a_chunk_at_a_time(
    client, staff, tree, records, rolled_up, small_inline_limit
):
    # given
    client.force_login(staff["district_admin"])
    job, content = finish_export(client, start(client, tree.wuxing.code))

    # then: what PostgreSQL holds is neither the zip nor any name in it, and opens to the file
    chunks = list(ExportChunk.objects.filter(job=job).order_by("seq"))
    stored = b"".join(bytes(c.sealed) for c in chunks)
    assert not stored.startswith(b"PK")
    assert records.zhili_members[0].name.encode() not in stored
    assert b"".join(unseal(c.sealed) for c in chunks) == content
    assert job.size == len(content)


def test_a_redelivered_task_does_not_write_the_file_twice(
    client, staff, tree, rolled_up, small_inline_limit
):
    # given: the job ran once
    client.force_login(staff["district_admin"])
    job, _content = finish_export(client, start(client, tree.wuxing.code))
    chunks = list(ExportChunk.objects.filter(job=job).values_list("pk", flat=True))

    # when: the broker delivers the same message again
    again = export_run(job.pk)

    # then: nothing claimed, nothing written
    assert again is False
    assert list(ExportChunk.objects.filter(job=job).values_list("pk", flat=True)) == chunks
    job.refresh_from_db()
    assert (job.status, job.rows_done) == ("done", 5)


def test_a_task_delivered_while_the_first_runs_finds_the_job_claimed(
    client, staff, tree, rolled_up, small_inline_limit
):
    # given: the first delivery has claimed the job (queued → running) and is writing
    client.force_login(staff["district_admin"])
    job = job_from_redirect(start(client, tree.wuxing.code))
    ExportJob.objects.filter(pk=job.pk).update(status="running", heartbeat_at=timezone.now())

    # when
    second = export_run(job.pk)

    # then
    assert second is False
    assert ExportChunk.objects.filter(job=job).count() == 0


def test_the_sweep_deletes_an_expired_file_and_the_page_says_so(
    client, staff, tree, rolled_up, small_inline_limit
):
    # given: a finished export past its download deadline
    client.force_login(staff["district_admin"])
    job, _content = finish_export(client, start(client, tree.wuxing.code))
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    # when
    swept = sweep_export_jobs()

    # then: the file is gone; the record of the export stays; the download says why
    assert swept == 1
    assert ExportChunk.objects.filter(job=job).count() == 0
    job.refresh_from_db()
    assert job.status == "expired"
    page = client.get(f"/exports/{job.pk}/download/")
    assert page.status_code == 200
    assert "已过下载期限" in page.content.decode()
    assert not page.has_header("Content-Disposition")


def test_the_sweep_fails_a_job_whose_worker_died_and_keeps_a_live_one(
    client, staff, tree, rolled_up, small_inline_limit
):
    # given: one job claimed by a worker that stopped reporting 11 minutes ago, one just claimed
    client.force_login(staff["district_admin"])
    dead = job_from_redirect(start(client, tree.wuxing.code))
    live = job_from_redirect(start(client, tree.wuxing.code))
    now = timezone.now()
    ExportJob.objects.filter(pk=dead.pk).update(
        status="running", heartbeat_at=now - dt.timedelta(minutes=11)
    )
    ExportJob.objects.filter(pk=live.pk).update(status="running", heartbeat_at=now)

    # when
    sweep_export_jobs()

    # then
    dead.refresh_from_db()
    live.refresh_from_db()
    assert (dead.status, live.status) == ("failed", "running")
    assert "中断" in dead.message


def test_with_redis_unset_the_job_runs_in_process_and_the_page_finds_it_done(
    client, staff, tree, rolled_up, small_inline_limit, django_capture_on_commit_callbacks
):
    # given: Celery eager, as with REDIS_URL unset (the embedded default)
    client.force_login(staff["district_admin"])
    celery_app.conf.task_always_eager = True
    try:
        # when
        with django_capture_on_commit_callbacks(execute=True):
            response = start(client, tree.wuxing.code)
    finally:
        celery_app.conf.task_always_eager = False

    # then
    job = job_from_redirect(response)
    job.refresh_from_db()
    assert job.status == "done"
    assert "已完成" in client.get(response["Location"]).content.decode()


@pytest.fixture
def redis_down():
    """The broker pointed at a port where nothing listens: a real refused connection, with no
    retry loop to wait through."""
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_publish_retry, conf.broker_connection_retry)
    conf.broker_url = "redis://127.0.0.1:1/0"
    conf.task_publish_retry = False
    reset_broker_pools()
    try:
        yield
    finally:
        conf.broker_url, conf.task_publish_retry, conf.broker_connection_retry = saved
        reset_broker_pools()


def reset_broker_pools() -> None:
    """New connections for the broker URL now set: the connection pool and the producer pool
    built on it (a producer pool left holding the closed pool fails every later send in this
    process with "Acquire on closed pool"). kombu keeps both in a process-wide registry by URL,
    so closing one in place would close it for every later test: the registry is reset instead."""
    kombu_pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def test_with_the_queue_down_starting_an_export_says_so_on_its_page(
    client,
    staff,
    tree,
    rolled_up,
    small_inline_limit,
    redis_down,
    django_capture_on_commit_callbacks,
):
    # given
    client.force_login(staff["district_admin"])

    # when
    with django_capture_on_commit_callbacks(execute=True):
        response = start(client, tree.wuxing.code)
    page = client.get(response["Location"]).content.decode()

    # then: the job is failed with the reason, not left queued for ever
    job = job_from_redirect(response)
    job.refresh_from_db()
    assert job.status == "failed"
    assert "任务队列暂时不可用" in job.message
    assert "任务队列暂时不可用，导出未能开始，请稍后重试。" in page
    assert '<meta http-equiv="refresh"' not in page
