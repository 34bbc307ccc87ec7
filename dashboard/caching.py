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
from django.db.models import F, Func, IntegerField, Subquery
from redis.exceptions import RedisError

from dashboard.models import Indicator, IndicatorTarget, Snapshot

logger = logging.getLogger(__name__)

TIMEOUT = 24 * 3600  # a key never goes stale (its parts change instead); this only bounds memory


def current_board_key(*, year: int, union_code: str) -> str | None:
    """The cache key of a node's board: (year, union, the year's current snapshot, the targets
    version: the highest target history id, the number and highest id of indicators); None when
    the year has no snapshot. Read in ONE statement: on a cached read these lookups were three of
    the request's twelve. A newly published snapshot has a new id, hence a new key: nothing to
    invalidate."""
    row = (
        Snapshot.objects.filter(year=year, is_current=True)
        .annotate(
            targets=_scalar(IndicatorTarget.history.model.objects, "MAX", "history_id"),
            indicators=_scalar(Indicator.objects, "COUNT", "pk"),
            top=_scalar(Indicator.objects, "MAX", "pk"),
        )
        .values_list("pk", "targets", "indicators", "top")
        .first()
    )
    if row is None:
        return None
    snapshot_id, targets, indicators, top = row
    version = f"{targets or 0}.{indicators}.{top or 0}"
    return f"dash:indicators:{year}:{union_code}:{snapshot_id}:{version}"


def _scalar(qs, function: str, field: str) -> Subquery:
    """(SELECT function(field) FROM qs's table): a whole-table aggregate as a subquery. A Func,
    not Max()/Count(), so the ORM adds no GROUP BY to the subquery."""
    value = Func(F(field), function=function, output_field=IntegerField())
    return Subquery(qs.order_by().annotate(v=value).values("v")[:1])


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
