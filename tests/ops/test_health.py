"""/health/: 200 when every part answers, 503 when one does not; detail for city staff only."""

import datetime as dt
import json
import socket
import time

import pytest
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from common.health import NIGHTLY_ROLLUP
from tests.dashboard.factories import SnapshotFactory


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


def nightly_rollup_ran(ago: dt.timedelta = dt.timedelta(hours=1)) -> None:
    crontab, _ = CrontabSchedule.objects.get_or_create(minute="30", hour="2")
    PeriodicTask.objects.update_or_create(
        name=NIGHTLY_ROLLUP,
        defaults={
            "task": "dashboard.tasks.rollup_year_task",
            "crontab": crontab,
            "last_run_at": timezone.now() - ago,
        },
    )


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def fresh(db):
    """Beat ran an hour ago and left a snapshot."""
    nightly_rollup_ran()
    SnapshotFactory(computed_at=timezone.now() - dt.timedelta(hours=1), is_current=True)


@pytest.fixture
def no_redis(settings):
    settings.REDIS_URL = ""


def test_health_is_200_with_a_bare_body_for_a_load_balancer(fresh, no_redis):
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_health_is_503_when_redis_does_not_answer(fresh, settings, staff):
    settings.REDIS_URL = f"redis://127.0.0.1:{closed_port()}/0"

    anonymous = Client().get("/health/")
    detailed = signed_in(staff["city_admin"]).get("/health/")

    assert anonymous.status_code == 503
    assert anonymous.content == b"unavailable"
    assert detailed.status_code == 503
    checks = detailed.json()["checks"]
    assert checks["redis"]["ok"] is False
    assert checks["celery"]["ok"] is False
    assert checks["database"]["ok"] is True


def test_health_is_503_when_the_nightly_rollup_has_not_run_for_two_days(db, no_redis):
    nightly_rollup_ran(ago=dt.timedelta(days=2))
    SnapshotFactory(computed_at=timezone.now() - dt.timedelta(days=2), is_current=True)

    assert Client().get("/health/").status_code == 503


def test_health_is_503_when_disk_for_receipts_runs_low(fresh, no_redis, settings):
    settings.HEALTH_DISK_MIN_FREE_MB = 10**12  # more than any disk here has

    assert Client().get("/health/").status_code == 503


def test_only_city_staff_see_which_check_failed(fresh, no_redis, staff):
    city = signed_in(staff["city_admin"]).get("/health/")
    district = signed_in(staff["district_admin"]).get("/health/")
    anonymous = Client().get("/health/")

    assert city.status_code == 200
    body = city.json()
    assert body["ok"] is True
    assert set(body["checks"]) == {"database", "redis", "celery", "beat", "disk", "snapshot"}
    assert all(c["ok"] for c in body["checks"].values())
    for bare in (district, anonymous):
        assert bare.status_code == 200
        assert bare.content == b"ok"
        with pytest.raises(json.JSONDecodeError):
            json.loads(bare.content)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_health_is_200_with_real_redis_and_a_real_worker(settings, staff):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    from tests.dashboard.test_celery_worker import worker as worker_fixture

    nightly_rollup_ran()
    SnapshotFactory(computed_at=timezone.now(), is_current=True)
    client = signed_in(staff["city_admin"])
    gen = worker_fixture.__wrapped__()
    next(gen)
    try:
        # A real worker takes a while to start on a loaded 2-core machine.
        deadline = time.monotonic() + 90
        while True:
            response = client.get("/health/")
            if response.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    finally:
        gen.close()
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["celery"]["detail"].endswith("worker(s)")
