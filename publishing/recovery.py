"""Redoing a publication's follow-up work when the broker lost it.

A publish commits first and hands its follow-up work to Celery afterwards; with the broker
down, those messages are lost and the publish still succeeds. So each article publication also
writes a `PublishFollowUp` row in its own transaction and enqueues
`editorial.confirm_publish_follow_ups` after the rest: the broker accepted that message if and
only if it was up, so a row older than the grace period marks work to redo. `reconcile()`
(beat, every minute) runs the publication's follow-up again: the same `pipeline.STEPS` as the
publish itself, enqueued when each marker's transaction commits.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from editorial.models import PublishFollowUp
from news.models import ArticlePage
from publishing.pipeline import Publication, follow_up

logger = logging.getLogger(__name__)

RECONCILE_BATCH = 200


def grace_period() -> timedelta:
    return timedelta(seconds=settings.PUBLISH_FOLLOW_UP_GRACE_SECONDS)


def is_recoverable(page) -> bool:
    """Article publications are marked; other pages' follow-up is cache upkeep only."""
    return isinstance(page, ArticlePage)


def record(*, page_id: int) -> datetime:
    """In the publish transaction: mark the publication; returns the marker's time, which the
    confirmation task carries."""
    now = timezone.now()
    PublishFollowUp.objects.update_or_create(page_id=page_id, defaults={"recorded_at": now})
    return now


def confirm(*, page_id: int, recorded_at: datetime) -> None:
    """The broker took this publication's messages; a later publication keeps its own marker."""
    PublishFollowUp.objects.filter(page_id=page_id, recorded_at__lte=recorded_at).delete()


def redo(marker: PublishFollowUp) -> None:
    """The publication's follow-up work, run again; enqueued when the caller's transaction
    commits."""
    article = ArticlePage.objects.published().filter(pk=marker.page_id).first()
    if article is None:  # unpublished or made private since: that change did its own follow-up
        return
    follow_up(Publication(page=article, live=True, since=marker.recorded_at - grace_period()))


def reconcile(*, now: datetime | None = None) -> list[int]:
    """Redo the follow-up work of publications older than the grace period; returns page ids.

    Each marker is claimed with `FOR UPDATE SKIP LOCKED`, so two runs at once share the work;
    its work is enqueued when that marker's transaction commits, with the marker gone.
    """
    cutoff = (now or timezone.now()) - grace_period()
    due = list(
        PublishFollowUp.objects.filter(recorded_at__lte=cutoff)
        .order_by("recorded_at")
        .values_list("page_id", flat=True)[:RECONCILE_BATCH]
    )
    done = []
    for page_id in due:
        with transaction.atomic():
            marker = (
                PublishFollowUp.objects.select_for_update(skip_locked=True)
                .filter(page_id=page_id, recorded_at__lte=cutoff)
                .first()
            )
            if marker is None:
                continue
            redo(marker)
            marker.delete()
            done.append(page_id)
    if done:
        logger.warning(
            "Redid the follow-up work of %d publication(s) the broker lost: pages %s",
            len(done),
            done,
        )
    return done
