"""Dashboard reads cached by what they are made of: a published snapshot never changes, so the
indicators of a roll-up node are fixed by (year, union, snapshot id, targets version). Targets stay
editable in the admin; every edit writes a history row (dashboard.models.IndicatorTarget.history),
so the highest history id is a version that moves with each create, change or delete.

The JSON is kept in Django's cache (Redis when REDIS_URL is set, local memory otherwise) and sent
with an ETag made of the same parts, so a client that already holds it gets a 304 with no body.
A grassroots union's board is computed live (not a roll-up node) and is not cached here.
"""

import logging

from django.core.cache import cache
from django.db.models import Count, Max
from redis.exceptions import RedisError

from dashboard.models import Indicator, IndicatorTarget

logger = logging.getLogger(__name__)

TIMEOUT = 24 * 3600  # a key never goes stale (its parts change instead); this only bounds memory


def targets_version() -> str:
    history = IndicatorTarget.history.model.objects.aggregate(v=Max("history_id"))["v"] or 0
    indicators = Indicator.objects.aggregate(n=Count("pk"), m=Max("pk"))
    return f"{history}.{indicators['n']}.{indicators['m'] or 0}"


def board_key(*, year: int, union_code: str, snapshot_id: int) -> str:
    return f"dash:indicators:{year}:{union_code}:{snapshot_id}:{targets_version()}"


def etag_of(key: str) -> str:
    return f'"{key.removeprefix("dash:")}"'


def matches(request, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return etag in {tag.strip().removeprefix("W/") for tag in header.split(",")}


def cached(key: str, build, timeout: int = TIMEOUT):
    """The value under `key`, built and kept if absent (for `timeout` seconds). A cache that is
    down costs speed only: the value is then built on every request, as without a cache."""
    try:
        data = cache.get(key)
    except RedisError:
        logger.warning("dashboard cache unavailable; building the board uncached")
        return build()
    if data is None:
        data = build()
        try:
            cache.set(key, data, timeout)
        except RedisError:
            logger.warning("dashboard cache unavailable; the board was not kept")
    return data
