"""/health/: is every part the portal depends on alive? (issue 16)

Our own view rather than django-health-check: half of what is asked (beat's last run of the nightly
roll-up, the age of the newest snapshot) would be custom plugins there anyway, and its detail page
is shown to whoever asks, while here only signed-in city staff may see which part is down. Each
check is a small function returning (ok, detail); the answer is 200 when all pass, 503 otherwise.

A load balancer (anonymous) gets the bare status and a one-word body; signed-in city staff
(`members.scoping.is_city_staff`) get JSON naming each check. The details never carry personal data.
"""

import datetime as dt
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

Check = tuple[bool, str]

NIGHTLY_ROLLUP = "dashboard: nightly roll-up of the current year"


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        # A dead connection stays dead in a persistent-connection worker: drop it so the next
        # request reconnects instead of failing the same way.
        connection.close_if_unusable_or_obsolete()
        return False, f"unreachable: {type(exc).__name__}"
    return True, connection.vendor


def _redis():
    import redis

    timeout = settings.HEALTH_TIMEOUT_SECONDS
    return redis.Redis.from_url(
        settings.REDIS_URL, socket_timeout=timeout, socket_connect_timeout=timeout
    )


def check_redis() -> Check:
    if not settings.REDIS_URL:
        return True, "not configured (tasks run in-process)"
    try:
        _redis().ping()
    except Exception as exc:
        return False, f"unreachable: {type(exc).__name__}"
    return True, "pong"


def check_celery() -> Check:
    if not settings.REDIS_URL:
        return True, "not configured (tasks run in-process)"
    ok, detail = check_redis()
    if not ok:
        return False, "broker " + detail
    from huzhou_union.celery import app

    try:
        replies = app.control.ping(timeout=settings.HEALTH_TIMEOUT_SECONDS)
    except Exception as exc:
        return False, f"ping failed: {type(exc).__name__}"
    if not replies:
        return False, "no worker answered"
    return True, f"{len(replies)} worker(s)"


def _age_check(at: dt.datetime | None, *, hours: int, what: str) -> Check:
    if at is None:
        return False, f"no {what} yet"
    age = timezone.now() - at
    text = f"{what} {int(age.total_seconds() // 60)} min ago ({at.isoformat(timespec='seconds')})"
    if age > dt.timedelta(hours=hours):
        return False, f"{text}, older than {hours} h"
    return True, text


def check_beat() -> Check:
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.filter(name=NIGHTLY_ROLLUP).only("last_run_at", "enabled").first()
    if task is None or not task.enabled:
        return False, "nightly roll-up is not scheduled"
    return _age_check(
        task.last_run_at, hours=settings.HEALTH_BEAT_MAX_AGE_HOURS, what="last nightly roll-up"
    )


def check_snapshot() -> Check:
    from dashboard.models import Snapshot

    newest = Snapshot.objects.order_by("-computed_at").values_list("computed_at", flat=True).first()
    return _age_check(newest, hours=settings.HEALTH_SNAPSHOT_MAX_AGE_HOURS, what="newest snapshot")


def check_disk() -> Check:
    """Free space where the receipts are written (MEDIA_ROOT, or its nearest existing parent
    before the first upload creates it)."""
    path = Path(settings.MEDIA_ROOT)
    while not path.exists() and path != path.parent:
        path = path.parent
    usage = shutil.disk_usage(path)
    free_mb = usage.free // (1024 * 1024)
    text = f"{free_mb} MB free of {usage.total // (1024 * 1024)} MB"
    if free_mb < settings.HEALTH_DISK_MIN_FREE_MB:
        return False, f"{text}, below {settings.HEALTH_DISK_MIN_FREE_MB} MB"
    return True, text


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "redis": check_redis,
    "celery": check_celery,
    "beat": check_beat,
    "disk": check_disk,
    "snapshot": check_snapshot,
}


def run_checks() -> dict[str, dict]:
    results: dict[str, dict] = {}
    database_ok = True
    for name, check in CHECKS.items():
        clock = time.monotonic()
        if name in {"beat", "snapshot"} and not database_ok:
            ok, detail = False, "database unreachable"
        else:
            try:
                ok, detail = check()
            except Exception as exc:  # a check must never turn the health page into a 500
                ok, detail = False, f"check raised {type(exc).__name__}"
        if name == "database":
            database_ok = ok
        results[name] = {
            "ok": ok,
            "detail": detail,
            "ms": round((time.monotonic() - clock) * 1000, 1),
        }
    return results


def _may_see_detail(request: HttpRequest) -> bool:
    from members.scoping import is_city_staff

    try:
        user = request.user
        return bool(user.is_authenticated and user.is_active and is_city_staff(user))
    except Exception:  # the session or user lookup needs the database, which may be down
        return False


@never_cache
@require_GET
@transaction.non_atomic_requests  # ATOMIC_REQUESTS would need the database before the view runs
def health(request: HttpRequest) -> HttpResponse:
    results = run_checks()
    healthy = all(r["ok"] for r in results.values())
    status = 200 if healthy else 503
    if _may_see_detail(request):
        return JsonResponse({"ok": healthy, "checks": results}, status=status)
    return HttpResponse(
        "ok" if healthy else "unavailable", status=status, content_type="text/plain"
    )
