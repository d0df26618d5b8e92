"""The flush through real Celery workers: a worker killed mid-flush loses and doubles nothing."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from news.factories import ArticlePageFactory
from news.models import ArticlePage
from readership import counting
from readership.models import ArticleDailyViews, ViewFlushBatch
from readership.tasks import flush_view_buffer
from tests.security.servers import database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, *, timeout=20.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_beacons_are_flushed_by_the_worker(site_tree, beacon, celery_worker_instance, redis_client):
    article = ArticlePageFactory(parent=site_tree["news"])
    for n in range(7):
        beacon(article, address=f"192.0.2.{n}")

    flush_view_buffer.delay()

    wait_for(lambda: ArticlePage.objects.get(pk=article.pk).view_count == 7, what="the flush")
    assert ArticleDailyViews.objects.get(article=article).views == 7
    wait_for(lambda: not redis_client.exists(counting.BUFFER), what="the buffer to empty")


@pytest.fixture
def worker_process(redis_client):
    """A separate `celery worker` process on the test database, so it can be SIGKILLed."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "-l", "WARNING"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=10)


def test_a_worker_killed_mid_flush_neither_loses_nor_double_counts(
    site_tree, beacon, redis_client, worker_process
):
    articles = [ArticlePageFactory(parent=site_tree["news"]) for _ in range(3)]
    for article in articles:
        for n in range(4):
            beacon(article, address=f"192.0.2.{n}")

    # Hold a row lock on one article so the worker's flush stops inside its transaction.
    with (
        psycopg.connect(database_url()) as blocker,
        psycopg.connect(database_url(), autocommit=True) as monitor,
    ):
        blocker.execute(
            "SELECT 1 FROM news_articlepage WHERE page_ptr_id = %s FOR UPDATE", [articles[1].pk]
        )
        flush_view_buffer.delay()

        def worker_is_waiting_on_the_lock() -> bool:
            # Activity statistics are a per-transaction snapshot: look from outside it.
            row = monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                "AND query LIKE '%%news_articlepage%%' AND pid <> pg_backend_pid()"
            ).fetchone()
            return row[0] == 1

        wait_for(worker_is_waiting_on_the_lock, timeout=120, what="the worker to block mid-flush")
        worker_process.send_signal(signal.SIGKILL)
        worker_process.wait(timeout=10)
        blocker.rollback()

    # The killed flush rolled back: nothing counted, the batch waits in Redis.
    assert [ArticlePage.objects.get(pk=a.pk).view_count for a in articles] == [0, 0, 0]
    assert ViewFlushBatch.objects.count() == 0
    assert len(redis_client.smembers(counting.BATCHES)) == 1

    # A view arrives meanwhile, then the next run (here: directly) sweeps the orphan.
    beacon(articles[0], address="192.0.2.200")
    counting.flush_views()

    assert [ArticlePage.objects.get(pk=a.pk).view_count for a in articles] == [5, 4, 4]
    assert sorted(ArticleDailyViews.objects.values_list("views", flat=True)) == [4, 4, 5]
    assert redis_client.smembers(counting.BATCHES) == set()
    assert not redis_client.exists(counting.BUFFER)
    assert ViewFlushBatch.objects.count() == 2
