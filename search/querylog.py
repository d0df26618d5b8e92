"""Query logging for Wagtail's popular-searches report, buffered in Redis.

Wagtail's `Query.add_hit()` does a get-or-create and an UPDATE on every search. Here a search
costs one Redis HINCRBY; `flush_query_hits` (Celery beat) moves the counts into Wagtail's
`Query`/`QueryDailyHits` tables in one transaction per day bucket, so the report in the admin
(Reports → Search terms) is at most one flush interval behind.
"""

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

import redis

from ops.counters import REDIS_FAILURES, counters

logger = logging.getLogger(__name__)

PENDING_PREFIX = "search:hits:pending:"
FLUSHING_PREFIX = "search:hits:flushing:"
# A bucket left unflushed (beat down for a day) is kept, not lost, for this long.
BUCKET_TTL_SECONDS = 8 * 24 * 3600
LOCK_KEY = "search:hits:flush-lock"


def record_search(normalised_query: str, *, today: dt.date | None = None) -> None:
    """Count one search. If Redis is unavailable the hit is dropped (and logged): the
    reader's search never waits on, or fails because of, the statistics."""
    if not normalised_query:
        return
    key = PENDING_PREFIX + (today or timezone.localdate()).isoformat()
    try:
        pipe = counters().pipeline()
        pipe.hincrby(key, normalised_query, 1)
        pipe.expire(key, BUCKET_TTL_SECONDS)
        pipe.execute()
    except REDIS_FAILURES:
        # bench.load once hit a half-open connection here as a search 500 (see REDIS_FAILURES).
        logger.warning("search query hit dropped: Redis unavailable", exc_info=True)


def flush_query_hits() -> int:
    """Move buffered counts into Wagtail's query log; returns the number of hits moved.

    Under a lock (two beats never flush together), each pending bucket is renamed to a
    unique flushing key (new hits start a fresh bucket), written in one transaction, then
    deleted. A run that died after the rename leaves a flushing key for the next run.
    """
    client = counters()
    # The lock outlives any run (Celery's hard time limit stops a flush first), so a slow flush
    # never loses it to another beat's flush mid-bucket; it is released by token, so a flush
    # never frees a lock it no longer holds.
    lock = client.lock(
        LOCK_KEY, timeout=settings.CELERY_TASK_TIME_LIMIT + 60, blocking=False, thread_local=False
    )
    if not lock.acquire():
        return 0
    try:
        for key in client.scan_iter(match=PENDING_PREFIX + "*"):
            day = key.decode().removeprefix(PENDING_PREFIX)
            try:
                client.rename(key, f"{FLUSHING_PREFIX}{day}:{uuid.uuid4().hex}")
            except redis.ResponseError:
                continue  # expired between SCAN and RENAME
        moved = 0
        for key in client.scan_iter(match=FLUSHING_PREFIX + "*"):
            day = dt.date.fromisoformat(key.decode().removeprefix(FLUSHING_PREFIX).split(":")[0])
            counts = {q.decode(): int(n) for q, n in client.hgetall(key).items() if int(n) > 0}
            with transaction.atomic():
                for query_string, hits in sorted(counts.items()):
                    query = Query.get(query_string)
                    daily, _ = QueryDailyHits.objects.get_or_create(query=query, date=day)
                    QueryDailyHits.objects.filter(pk=daily.pk).update(hits=F("hits") + hits)
                    moved += hits
            client.delete(key)
        return moved
    finally:
        try:
            lock.release()
        except redis.exceptions.LockError:
            logger.warning("search query flush finished without its lock (expired or taken)")
