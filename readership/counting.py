"""View counting: a beacon records a view in Redis; a periodic flush moves the buffer into
PostgreSQL exactly once; most-read lists read the per-day table.

Redis keys (in REDIS_URL's database, which is never evicted):
  views:seen:<article>:<visitor>  repeat-view guard, expires after the window
  views:addr:<article>:<address>  views counted today from one address (a daily pseudonym)
  views:buffer                    hash article id -> views not yet flushed
  views:batch:<day>:<uuid>        a buffer renamed for flushing (one flush's unit of work)
  views:batches                   set of batch keys not yet deleted (in flight or orphaned)
  views:stored                    hash article id -> the total PostgreSQL holds
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import batched

from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

import redis

from news.models import ArticlePage
from ops.counters import counters
from readership import conf
from readership.models import ArticleDailyViews, ArticleTotalViews, ViewFlushBatch

logger = logging.getLogger(__name__)

BUFFER = "views:buffer"
BATCHES = "views:batches"
STORED = "views:stored"
BATCH_PREFIX = "views:batch:"
SIGNING_SALT = "readership.view"
FLUSH_CHUNK = 5000

# One round trip: the repeat guard, the address's daily allowance, the increment, and the fresh
# total. A new visitor (address + user agent) from an address that has already had its
# allowance of counted views of this article today is not counted: changing the user agent
# buys nothing past it, while an office behind one address still counts as many readers.
# Returns {counted (0/1), buffered + in-flight views, stored total or -1 when unknown}.
RECORD_VIEW = """
local counted = redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[2]))
if counted then
  local from_address = redis.call('INCR', KEYS[5])
  if from_address == 1 then redis.call('EXPIRE', KEYS[5], 86400) end
  if from_address > tonumber(ARGV[3]) then counted = false end
end
local pending
if counted then
  pending = redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
else
  pending = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
end
for _, batch in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  pending = pending + tonumber(redis.call('HGET', batch, ARGV[1]) or '0')
end
local stored = redis.call('HGET', KEYS[4], ARGV[1])
if counted then counted = 1 else counted = 0 end
return {counted, pending, tonumber(stored or '-1')}
"""

# Rename the buffer to a batch key and register it, atomically; 0 when nothing is buffered.
START_BATCH = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], KEYS[2])
return 1
"""


@lru_cache(maxsize=4)
def _scripts(client: redis.Redis) -> dict:
    """The Lua scripts, sent by SHA (EVALSHA) after their first use."""
    return {
        "record_view": client.register_script(RECORD_VIEW),
        "start_batch": client.register_script(START_BATCH),
    }


def view_token(article_id: int) -> str:
    """What the article page hands its beacon: the id, signed, so the beacon needs no query."""
    return signing.dumps(article_id, salt=SIGNING_SALT, compress=False)


def article_id_from_token(token: str) -> int | None:
    if not token or len(token) > 200:
        return None
    try:
        value = signing.loads(token, salt=SIGNING_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) and value > 0 else None


@dataclass(frozen=True)
class RecordedView:
    counted: bool
    total: int


def record_view(*, article_id: int, visitor: str, address: str) -> RecordedView:
    """Count one view unless this visitor viewed the article within the window, or `address`
    (a daily pseudonym of the client address) has had its allowance of counted views of the
    article today (readership.conf.views_per_address_per_day).

    One Redis round trip (two only the first time an article's stored total is unknown to
    Redis). Raises one of REDIS_FAILURES when Redis is unavailable.
    """
    client = counters()
    counted, pending, stored = _scripts(client)["record_view"](
        keys=[
            f"views:seen:{article_id}:{visitor}",
            BUFFER,
            BATCHES,
            STORED,
            f"views:addr:{article_id}:{address}",
        ],
        args=[article_id, conf.repeat_view_window(), conf.views_per_address_per_day()],
        client=client,
    )
    if stored < 0:
        stored = (
            ArticleTotalViews.objects.filter(article_id=article_id)
            .values_list("views", flat=True)
            .first()
            or 0
        )
        client.hsetnx(STORED, article_id, stored)
    return RecordedView(counted=bool(counted), total=int(stored) + int(pending))


@dataclass(frozen=True)
class FlushResult:
    batches: int = 0
    articles: int = 0
    views: int = 0


def flush_views() -> FlushResult:
    """Move buffered views into PostgreSQL: first any batch a crashed flush left behind,
    then the current buffer. Safe to run twice at once and to kill at any point."""
    client = counters()
    total = FlushResult()
    for key in sorted(k.decode() for k in client.smembers(BATCHES)):
        total = _add(total, apply_batch(key))
    day = timezone.localdate().isoformat()
    key = f"{BATCH_PREFIX}{day}:{uuid.uuid4().hex}"
    if _scripts(client)["start_batch"](keys=[BUFFER, key, BATCHES], client=client):
        total = _add(total, apply_batch(key))
    return total


def _add(a: FlushResult, b: FlushResult) -> FlushResult:
    return FlushResult(a.batches + b.batches, a.articles + b.articles, a.views + b.views)


def apply_batch(key: str) -> FlushResult:
    """Apply one batch key to PostgreSQL once, then delete it.

    The counts and the ViewFlushBatch row commit together. A run that finds the row already
    there (a crash after commit, before DEL) skips the database and only deletes the key.
    """
    client = counters()
    batch_id = key.removeprefix(BATCH_PREFIX)
    day = date.fromisoformat(batch_id.split(":", 1)[0])
    counts = sorted((int(article), int(views)) for article, views in client.hgetall(key).items())
    stored: list[tuple[int, int]] = []
    applied = FlushResult()
    if counts and not ViewFlushBatch.objects.filter(batch_id=batch_id).exists():
        try:
            with transaction.atomic():
                ViewFlushBatch.objects.create(
                    batch_id=batch_id,
                    day=day,
                    articles=len(counts),
                    views=sum(views for _, views in counts),
                )
                for chunk in batched(counts, FLUSH_CHUNK):
                    stored += _apply_chunk(chunk, day)
            applied = FlushResult(1, len(counts), sum(views for _, views in counts))
        except IntegrityError:
            # Another flush applied this batch first; its counts are in, ours must not be.
            logger.info("views_flush_batch_already_applied batch=%s", batch_id)
    _finish_batch(key, stored)
    if applied.batches:
        logger.info(
            "views_flushed batch=%s articles=%d views=%d", batch_id, applied.articles, applied.views
        )
    return applied


def _apply_chunk(chunk: tuple[tuple[int, int], ...], day: date) -> list[tuple[int, int]]:
    """Two set-based statements for up to FLUSH_CHUNK articles, rows locked in id order."""
    ids = [article for article, _ in chunk]
    views = [n for _, n in chunk]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH locked AS (
                -- The articles stay while their totals are written (no page column changes,
                -- so editors' saves are not held up); taken in id order, as the totals are.
                SELECT a.page_ptr_id FROM news_articlepage a
                WHERE a.page_ptr_id = ANY(%s::bigint[])
                ORDER BY a.page_ptr_id FOR KEY SHARE
            )
            INSERT INTO readership_articletotalviews (article_id, views)
            SELECT d.id, d.n
            FROM unnest(%s::bigint[], %s::bigint[]) AS d(id, n)
            JOIN locked ON locked.page_ptr_id = d.id
            ORDER BY d.id
            ON CONFLICT (article_id)
            DO UPDATE SET views = readership_articletotalviews.views + EXCLUDED.views
            RETURNING article_id, views
            """,
            [ids, ids, views],
        )
        stored = cursor.fetchall()
        cursor.execute(
            """
            INSERT INTO readership_articledailyviews (article_id, day, views)
            SELECT d.id, %s, d.n
            FROM unnest(%s::bigint[], %s::bigint[]) AS d(id, n)
            JOIN news_articlepage a ON a.page_ptr_id = d.id
            ORDER BY d.id
            ON CONFLICT (article_id, day)
            DO UPDATE SET views = readership_articledailyviews.views + EXCLUDED.views
            """,
            [day, ids, views],
        )
    return stored


def _finish_batch(key: str, stored: list[tuple[int, int]]) -> None:
    """Publish the new stored totals and drop the batch in one step, so a reader's total
    (stored + buffered + in flight) never counts a view twice or misses one."""
    client = counters()
    with client.pipeline(transaction=True) as pipe:
        if stored:
            pipe.hset(STORED, mapping=dict(stored))
        else:
            # Totals unknown here (already applied elsewhere): make readers look them up again.
            ids = client.hkeys(key)
            if ids:
                pipe.hdel(STORED, *ids)
        pipe.delete(key)
        pipe.srem(BATCHES, key)
        pipe.execute()


def most_read(*, days: int, limit: int = 5, now=None, within=None):
    """Published articles with the most views in the last `days` days, most read first; only
    those below the page `within` (a section) when given.

    Counts are kept per calendar day, so the window is today plus the `days` days before it:
    "last 24 hours" (days=1) reads today and yesterday. Ties go to the newer article.
    """
    today = timezone.localdate(now)
    since = today - timedelta(days=days)
    articles = ArticlePage.objects.published(now=now)
    if within is not None:
        articles = articles.descendant_of(within)
    return (
        articles.filter(daily_views__day__gte=since)
        .annotate(recent_views=Sum("daily_views__views"))
        .only("title", "url_path")  # a link and a count: the body stays in the database
        .order_by("-recent_views", "-pk")[:limit]
    )


def record_past_views(daily: dict[tuple[int, date], int]) -> int:
    """Add views counted elsewhere (an archive's history, the demo's) as `{(article id, day):
    views}`: only days an article has no row for yet are written, and each article's total
    grows by exactly those, so a second run adds nothing. Returns the views added.

    Readers' totals cached in Redis for those articles are dropped, to be read again."""
    if not daily:
        return 0
    ids = sorted({article for article, _ in daily})
    with transaction.atomic():
        existing = set(
            ArticleDailyViews.objects.filter(article_id__in=ids).values_list("article_id", "day")
        )
        new = {key: views for key, views in daily.items() if key not in existing and views > 0}
        ArticleDailyViews.objects.bulk_create(
            ArticleDailyViews(article_id=article, day=day, views=views)
            for (article, day), views in sorted(new.items())
        )
        added: dict[int, int] = {}
        for (article, _), views in new.items():
            added[article] = added.get(article, 0) + views
        if added:
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    INSERT INTO readership_articletotalviews (article_id, views)
                    SELECT d.id, d.n FROM unnest(%s::bigint[], %s::bigint[]) AS d(id, n)
                    ORDER BY d.id
                    ON CONFLICT (article_id)
                    DO UPDATE SET views = readership_articletotalviews.views + EXCLUDED.views
                    """,
                    [sorted(added), [added[article] for article in sorted(added)]],
                )
    if added:
        counters().hdel(STORED, *added)
    return sum(added.values())
