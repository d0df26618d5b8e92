"""Celery tasks for "Continue reading". Each takes ids, is idempotent and safe to run twice."""

import logging

from django.utils import timezone

from celery import shared_task
from django_redis.exceptions import ConnectionInterrupted

from news import related
from news.purging import PurgeFailed, delete_cached_paths, purge_frontend_cache

logger = logging.getLogger(__name__)

NIGHTLY_BATCH = 500


@shared_task(name="news.refresh_related")
def refresh_related(article_id: int) -> None:
    """After a publish or edit: index the article, recompute its list, then its neighbours'."""
    neighbours = related.refresh_article(article_id=article_id)
    if neighbours:
        recompute_related_lists.delay(neighbours)


@shared_task(name="news.refresh_related_articles")
def refresh_related_articles(article_ids: list[int]) -> None:
    """`refresh_related` for several articles (a section became public again)."""
    for article_id in article_ids:
        refresh_related(article_id)


@shared_task(name="news.recompute_related_lists")
def recompute_related_lists(article_ids: list[int]) -> None:
    """Recompute these articles' lists (no further fan-out)."""
    for article_id in article_ids:
        related.recompute_list(article_id=article_id)


@shared_task(name="news.recompute_all_related")
def recompute_all_related(phase: str = "index", after_id: int = 0) -> None:
    """The nightly pass, in batches of articles by id; each run enqueues the next.

    Phase "index" repairs the text index (articles whose publish task was lost, articles no
    longer published), then the lexeme counts are rebuilt, then phase "lists" recomputes every
    list. A batch that dies is redelivered (late acks) and resumes from its own cursor; two passes
    at once only repeat work, since every list is replaced atomically under its own lock.
    """
    if phase == "index":
        ids, next_after = related.reconcile_index(after_id=after_id, batch_size=NIGHTLY_BATCH)
        if next_after is None:
            related.rebuild_lexeme_counts()
            phase, next_after = "lists", 0
    else:
        ids, next_after = related.published_batch(after_id=after_id, batch_size=NIGHTLY_BATCH)
        for article_id in ids:
            related.recompute_list(article_id=article_id)
    logger.info("Related %s: %d articles after id %d", phase, len(ids), after_id)
    if next_after is not None:
        recompute_all_related.delay(phase, next_after)


@shared_task(name="news.nightly_related")
def nightly_related() -> None:
    """Beat's nightly entry: one full pass per night, however many beats send this."""
    if related.claim_nightly_pass(day=timezone.localdate()):
        recompute_all_related.delay()


@shared_task(
    name="news.purge_cached_paths",
    autoretry_for=(PurgeFailed, ConnectionInterrupted),
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=8,
)
def purge_cached_paths(paths: list[str], root_url: str) -> None:
    """Delete the paths from the page cache, then from any CDN. Idempotent; retried on failure."""
    delete_cached_paths(paths)
    purge_frontend_cache(paths, root_url)
