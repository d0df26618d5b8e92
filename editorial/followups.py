"""The follow-up work of a publication, and its recovery when the broker lost it.

A publish commits first and hands its follow-up work to Celery afterwards (news/signals.py,
editorial/notifications.py); with the broker down, those messages are lost and the publish still
succeeds. So each article publication also writes a `PublishFollowUp` row in its own transaction
and enqueues `editorial.confirm_publish_follow_ups` with the rest: the broker accepted that
message if and only if it was up, so a row older than the grace period marks work to redo.
`reconcile()` (beat, every minute) redoes it: index the article, refresh its related list and its
neighbours', purge every page that shows it (our cache and the CDN), and send the publication
email (keyed by log entry, so never twice). Every step is idempotent, so redoing work that did
run costs time, not correctness.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, PageLogEntry

from editorial.models import PublishFollowUp

logger = logging.getLogger(__name__)

RECONCILE_BATCH = 200


def grace_period() -> timedelta:
    return timedelta(seconds=settings.PUBLISH_FOLLOW_UP_GRACE_SECONDS)


def record(page: Page) -> None:
    """In the publish transaction: mark the publication, and confirm it once the broker has it."""
    from editorial.tasks import confirm_publish_follow_ups

    now = timezone.now()
    PublishFollowUp.objects.update_or_create(page_id=page.pk, defaults={"recorded_at": now})
    confirm_publish_follow_ups.delay_on_commit(page.pk, now.isoformat())


def confirm(*, page_id: int, recorded_at: datetime) -> None:
    """The broker took this publication's messages; a later publication keeps its own marker."""
    PublishFollowUp.objects.filter(page_id=page_id, recorded_at__lte=recorded_at).delete()


def redo(marker: PublishFollowUp) -> None:
    """Everything a publication hands to the broker, done again, here."""
    from editorial.tasks import send_notification
    from news.models import ArticlePage
    from news.purging import purge_pages_showing
    from news.tasks import refresh_related
    from search.indexing import update_article_index

    article = ArticlePage.objects.published().filter(pk=marker.page_id).first()
    if article is None:  # unpublished or made private since: that change did its own follow-up
        return
    update_article_index(article.pk)
    refresh_related(article.pk)
    purge_pages_showing(article)
    for entry_id in PageLogEntry.objects.filter(
        page_id=article.pk,
        action__in=("wagtail.publish", "wagtail.publish.scheduled"),
        timestamp__gte=marker.recorded_at - grace_period(),
    ).values_list("pk", flat=True):
        send_notification.delay_on_commit("publication", entry_id, None, f"publication:{entry_id}")


def reconcile(*, now: datetime | None = None) -> list[int]:
    """Redo the follow-up work of publications older than the grace period; returns page ids.

    Each marker is claimed with `FOR UPDATE SKIP LOCKED`, so two runs at once share the work.
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
