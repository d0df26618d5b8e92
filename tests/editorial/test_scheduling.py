"""Scheduled publishing: exact, exactly once, catching up in order, and safe to kill."""

import logging
import signal
from collections import Counter
from datetime import timedelta

from django.utils import timezone

from wagtail.models import PageLogEntry, Revision

import pytest

from editorial.scheduling import run_schedule
from editorial.tasks import publish_scheduled_pages
from news.factories import ArticlePageFactory
from news.models import ArticlePage
from tests.editorial.scheduling_helpers import (
    run_twice_at_once,
    schedule,
    start_beat,
    start_worker,
    stop,
    wait_until,
)

SCHEDULED = "wagtail.publish.scheduled"


def scheduled_log_counts(pages) -> Counter:
    return Counter(
        PageLogEntry.objects.filter(page__in=pages, action=SCHEDULED).values_list(
            "page_id", flat=True
        )
    )


@pytest.mark.django_db
def test_catch_up_publishes_overdue_revisions_in_go_live_order_and_logs_the_delay(
    site_tree, caplog
):
    now = timezone.now()
    news = site_tree["news"]
    middle, _ = schedule(news, now - timedelta(minutes=30), title="Middle")
    oldest, _ = schedule(news, now - timedelta(hours=1), title="Oldest")
    newest, _ = schedule(news, now - timedelta(minutes=10), title="Newest")
    future, future_revision = schedule(news, now + timedelta(hours=1), title="Future")

    with caplog.at_level(logging.INFO, logger="editorial.scheduling"):
        run = run_schedule()

    assert run.published == [oldest.pk, middle.pk, newest.pk]
    assert [round(late.total_seconds() / 60) for late in run.lateness] == [60, 30, 10]
    assert "Caught up on 3 overdue scheduled revisions; the longest waited 36" in caplog.text
    assert f"Published scheduled revision {oldest.latest_revision_id} of Oldest, 36" in caplog.text
    assert ArticlePage.objects.live().filter(pk__in=run.published).count() == 3
    future.refresh_from_db()
    assert future.live is False
    assert Revision.objects.get(pk=future_revision.pk).approved_go_live_at is not None
    assert run_schedule().published == []
    assert scheduled_log_counts([oldest, middle, newest]) == {
        oldest.pk: 1,
        middle.pk: 1,
        newest.pk: 1,
    }


@pytest.mark.django_db
def test_expired_article_goes_offline_once(site_tree):
    article = ArticlePageFactory(
        parent=site_tree["news"], expire_at=timezone.now() - timedelta(seconds=1)
    )

    assert run_schedule().expired == [article.pk]
    assert run_schedule().expired == []

    article.refresh_from_db()
    assert (article.live, article.expired) == (False, True)
    assert (
        PageLogEntry.objects.filter(page=article, action="wagtail.unpublish.scheduled").count() == 1
    )


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_publish_each_revision_exactly_once(site_tree):
    past = timezone.now() - timedelta(seconds=5)
    articles = [schedule(site_tree["news"], past)[0] for _ in range(20)]
    runs, signalled = run_twice_at_once(run_schedule)

    ids = {article.pk for article in articles}
    assert len(runs) == 2
    assert sorted(runs[0].published + runs[1].published) == sorted(ids)
    assert Counter(signalled) == dict.fromkeys(ids, 1)
    assert scheduled_log_counts(articles) == dict.fromkeys(ids, 1)
    assert ArticlePage.objects.live().filter(pk__in=ids).count() == 20


@pytest.mark.django_db(transaction=True)
def test_beat_and_worker_publish_scheduled_articles_within_five_seconds(
    site_tree, celery_worker_instance, tmp_path
):
    beat = start_beat(tmp_path)
    try:
        # Lateness is measured from a running beat, not from its start-up.
        assert wait_until(
            lambda: "Sending due task" in (tmp_path / "beat.log").read_text(), timeout=30
        )
        now = timezone.now()
        articles = [
            schedule(site_tree["news"], now + timedelta(seconds=3 + offset))[0]
            for offset in range(5)
        ]
        ids = [article.pk for article in articles]

        def all_live():
            return ArticlePage.objects.live().filter(pk__in=ids).count() == len(ids)

        assert wait_until(all_live, timeout=40), (tmp_path / "beat.log").read_text()
    finally:
        stop(beat)

    for article in ArticlePage.objects.filter(pk__in=ids):
        lateness = (article.last_published_at - article.go_live_at).total_seconds()
        assert 0 <= lateness <= 5, (article.pk, lateness)
    assert scheduled_log_counts(articles) == dict.fromkeys(ids, 1)


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_run_leaves_every_article_done_or_untouched(
    site_tree, redis_client, tmp_path
):
    past = timezone.now() - timedelta(seconds=1)
    articles = [schedule(site_tree["news"], past)[0] for _ in range(60)]
    ids = [article.pk for article in articles]
    live = ArticlePage.objects.live().filter(pk__in=ids)

    worker = start_worker(tmp_path, "first")
    try:
        publish_scheduled_pages.delay()
        assert wait_until(lambda: live.count() >= 5, timeout=60, interval=0.05), (
            tmp_path / "first.log"
        ).read_text()
        stop(worker, signal.SIGKILL)
    finally:
        stop(worker, signal.SIGKILL)

    done = set(live.values_list("pk", flat=True))
    assert 5 <= len(done) < len(ids), "the worker should have been killed mid-run"
    pending = set(
        Revision.objects.filter(approved_go_live_at__isnull=False).values_list(
            "object_id", flat=True
        )
    )
    logged = scheduled_log_counts(articles)
    for article_id in ids:
        if article_id in done:
            assert (str(article_id) in pending, logged[article_id]) == (False, 1)
        else:
            assert (str(article_id) in pending, logged[article_id]) == (True, 0)

    worker = start_worker(tmp_path, "second")
    try:
        publish_scheduled_pages.delay()
        assert wait_until(lambda: live.count() == len(ids), timeout=60), (
            tmp_path / "second.log"
        ).read_text()
    finally:
        stop(worker)

    assert scheduled_log_counts(articles) == dict.fromkeys(ids, 1)
    assert not Revision.objects.filter(approved_go_live_at__isnull=False).exists()
