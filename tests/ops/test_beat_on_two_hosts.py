"""Beat may run on several hosts: every periodic task is safe when two beats send it at once.

Scheduled publishing has its own test (tests/editorial/test_scheduling.py, two schedulers at
once); the two-node test (test_two_nodes.py) runs all of them under two real beats.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits

import pytest
import time_machine
from kombu.utils.json import loads

from config.celery import app
from news import tasks
from news.factories import ArticlePageFactory
from news.models import ArticlePage
from readership import counting
from readership.models import ViewFlushBatch
from search.querylog import LOCK_KEY, flush_query_hits, record_search
from tests.security.servers import wait_until

# Each periodic task and what makes a second beat's copy harmless
# (docs/operations-and-scaling.md, "Scaling out").
DOUBLE_BEAT_SAFE = {
    "publish-scheduled-pages": "each due revision claimed with FOR UPDATE SKIP LOCKED",
    "flush-view-buffer": "atomic RENAME of the buffer and a unique batch row",
    "search-flush-query-hits": "a Redis lock that outlives the task, released by token",
    "recompute-all-related": "one claim per night in the cache; per-article advisory locks",
    "reconcile-publish-follow-ups": "each marker claimed with FOR UPDATE SKIP LOCKED",
    "planning-send-reminders": "each assignment claimed with FOR UPDATE SKIP LOCKED; a unique row",
    "release-bundles": "each due bundle claimed with FOR UPDATE SKIP LOCKED, status re-checked",
    "drain-related-queue": "each queued batch claimed with FOR UPDATE SKIP LOCKED and a lease",
}


def test_every_periodic_task_has_a_reviewed_double_beat_mechanism():
    """A new periodic task fails here until someone says why two beats cannot harm it."""
    assert set(app.conf.beat_schedule) == set(DOUBLE_BEAT_SAFE)


def in_a_thread(function):
    """Run `function` on its own database connection, as another worker would."""

    def run():
        try:
            return function()
        finally:
            connection.close()

    return run


def blocked_on_locks() -> int:
    """Other sessions of this database waiting for a lock (read afresh inside a transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def bulk_queue(redis_client) -> list[str]:
    """The task names waiting in the broker's bulk queue."""
    return [loads(message)["headers"]["task"] for message in redis_client.lrange("bulk", 0, -1)]


def test_two_nightly_ticks_start_one_related_pass_and_the_next_night_another(redis_client):
    tasks.nightly_related()
    tasks.nightly_related()  # the second beat's copy

    assert bulk_queue(redis_client) == ["news.recompute_all_related"]

    with time_machine.travel(timezone.now() + timedelta(days=1)):
        tasks.nightly_related()
    assert bulk_queue(redis_client) == ["news.recompute_all_related"] * 2


@pytest.mark.django_db(transaction=True)
def test_two_view_flushes_at_once_apply_a_batch_once(site_tree, redis_client):
    article = ArticlePageFactory(parent=site_tree["news"])
    for visitor in range(3):
        counting.record_view(
            article_id=article.pk, visitor=f"visitor-{visitor}", address=f"address-{visitor}"
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        with transaction.atomic():
            # The article row is held, so whichever flush gets there first waits mid-batch.
            ArticlePage.objects.select_for_update().get(pk=article.pk)
            first = pool.submit(in_a_thread(counting.flush_views))
            wait_until(lambda: redis_client.scard(counting.BATCHES) == 1, timeout=10)
            second = pool.submit(in_a_thread(counting.flush_views))
            wait_until(lambda: blocked_on_locks() == 2, timeout=10)
        results = [first.result(timeout=30), second.result(timeout=30)]

    assert sorted(result.views for result in results) == [0, 3]
    assert ArticlePage.objects.get(pk=article.pk).view_count == 3
    assert ViewFlushBatch.objects.count() == 1
    assert redis_client.scard(counting.BATCHES) == 0


@pytest.mark.django_db(transaction=True)
def test_a_slow_search_flush_keeps_its_lock_and_never_frees_another_flushs(redis_client):
    daily = QueryDailyHits.objects.create(query=Query.get("harbour"), date=timezone.localdate())
    record_search("harbour")

    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            # The day's row is held, so the flush waits in PostgreSQL holding its lock.
            QueryDailyHits.objects.select_for_update().get(pk=daily.pk)
            slow = pool.submit(in_a_thread(flush_query_hits))
            wait_until(lambda: blocked_on_locks() == 1, timeout=10)

            # However long it waits, its lock outlasts it (Celery kills the task first) ...
            assert redis_client.ttl(LOCK_KEY) > settings.CELERY_TASK_TIME_LIMIT
            # ... so the other beat's flush meanwhile does nothing.
            assert flush_query_hits() == 0
            # Had the lock been lost and taken by another flush, that flush's lock survives.
            redis_client.set(LOCK_KEY, "another-flush")
        assert slow.result(timeout=30) == 1

    assert redis_client.get(LOCK_KEY) == b"another-flush"
    assert QueryDailyHits.objects.get(pk=daily.pk).hits == 1
