"""Celery tasks for "Continue reading". Each takes ids, is idempotent and safe to run twice."""

import logging

from django.utils import timezone

from celery import shared_task
from django_redis.exceptions import ConnectionInterrupted

from news import related
from news.purging import (
    PurgeFailed,
    delete_cached_paths,
    delete_every_cached_page,
    purge_frontend_cache,
)

logger = logging.getLogger(__name__)

NIGHTLY_BATCH = 500


@shared_task(name="news.refresh_related")
def refresh_related(article_id: int) -> None:
    """After a publish or edit: index the article, recompute its list, then its neighbours'."""
    neighbours = related.refresh_article(article_id=article_id)
    if neighbours:
        recompute_related_lists.delay(neighbours)


REFRESH_BATCH = 100
"""Articles refreshed per run of `drain_related_queue`: a bulk import is drained in batches
(one set of statements each), a single publish is a batch of one."""


@shared_task(name="news.drain_related_queue")
def drain_related_queue() -> None:
    """Refresh a batch of queued articles (`related.drain_refresh_queue`), then their
    neighbours' lists as one batch; a full batch enqueues the next run. Sent after each publish
    commits and by beat (queued work whose message was lost, claims of a worker that died)."""
    claimed, neighbours = related.drain_refresh_queue(batch_size=REFRESH_BATCH)
    if claimed == REFRESH_BATCH:
        drain_related_queue.delay()
    if neighbours:
        recompute_related_lists.delay(neighbours)


@shared_task(name="news.refresh_related_under")
def refresh_related_under(page_id: int) -> None:
    """`refresh_related` for every published article at or under a page made public again.

    The articles are found here, after the commit: asked inside the transaction that lifts the
    restriction, the cached restriction list could still be the one a worker read a moment
    before, and the articles would look private.
    """
    for article_id in related.published_under(page_id=page_id):
        refresh_related(article_id)


@shared_task(name="news.recompute_related_lists")
def recompute_related_lists(article_ids: list[int]) -> None:
    """Recompute these articles' lists, as one batch (no further fan-out)."""
    related.recompute_lists(article_ids=article_ids)


@shared_task(name="news.recompute_all_related")
def recompute_all_related(
    phase: str | None = None, after_id: int = 0, after_time: str | None = None
) -> None:
    """The nightly pass (`related.run_pass_batch`), one batch per run; each run enqueues the next.

    Started without arguments (by beat), it resumes an unfinished pass from its checkpoint or
    starts a new one. A batch that dies is redelivered (late acks) and redone; a second run of
    the same batch finds the checkpoint moved on and stops, so two passes at once become one.
    """
    step = (
        related.Step.from_task_args(phase, after_id, after_time)
        if phase is not None
        else related.start_or_resume_pass()
    )
    following = related.run_pass_batch(step=step, batch_size=NIGHTLY_BATCH)
    logger.info("Related pass: did %s, next %s", step, following)
    if following is not None:
        recompute_all_related.delay(*following.as_task_args())


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


@shared_task(
    name="news.purge_every_page",
    autoretry_for=(ConnectionInterrupted,),
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=8,
)
def purge_every_cached_page() -> None:
    """Delete every page from the page cache (the header changed). Idempotent."""
    delete_every_cached_page()
