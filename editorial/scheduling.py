"""Scheduled publishing and expiry, exactly once, built on Wagtail's own publish actions.

Wagtail's `publish_scheduled` command takes no lock: two overlapping runs can publish one
revision twice. Here every due revision and expiring page is claimed with a row lock
(`SELECT ... FOR UPDATE SKIP LOCKED`) and re-checked inside the same transaction, so two
schedulers running at once each take different rows, and a revision Wagtail has already
published (its `approved_go_live_at` cleared) is never taken again.

A due revision whose page is still under embargo (news/models/embargo.py) is not published: its
go-live time moves to the embargo time, so it goes out on the first tick after the embargo.
(A person cannot schedule before an embargo, the publication gate refuses; this holds for
schedules set by the system too.)
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, Revision

logger = logging.getLogger(__name__)


@dataclass
class ScheduleRun:
    published: list[int] = field(default_factory=list)
    expired: list[int] = field(default_factory=list)
    lateness: list[timedelta] = field(default_factory=list)


def expire_due_pages(*, now: datetime, run: ScheduleRun) -> None:
    due = (
        Page.objects.filter(live=True, expire_at__lte=now)
        .order_by("expire_at")
        .values_list("pk", flat=True)
    )
    for page_id in list(due):
        with transaction.atomic():
            page = (
                Page.objects.select_for_update(skip_locked=True)
                .filter(pk=page_id, live=True, expire_at__lte=now)
                .first()
            )
            if page is None:
                continue
            page.specific.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
            run.expired.append(page_id)
            logger.info("Expired page %s (expiry %s)", page_id, page.expire_at.isoformat())


def hold_for_embargo(revision: Revision, *, now: datetime) -> bool:
    """Move a due revision still under embargo to its embargo time; True if it was held."""
    from editorial.publication_gate import embargo_holding

    embargo_until = embargo_holding(revision.as_object(), at=now)
    if embargo_until is None:
        return False
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=embargo_until)
    logger.warning(
        "Held scheduled revision %s of %s until its embargo, %s",
        revision.pk,
        revision.object_str,
        embargo_until.isoformat(),
    )
    return True


def publish_due_revisions(*, now: datetime, run: ScheduleRun) -> None:
    due = (
        Revision.objects.filter(approved_go_live_at__lte=now)
        .order_by("approved_go_live_at", "pk")
        .values_list("pk", flat=True)
    )
    for revision_id in list(due):
        with transaction.atomic():
            revision = (
                Revision.objects.select_for_update(skip_locked=True)
                .filter(pk=revision_id, approved_go_live_at__lte=now)
                .first()
            )
            if revision is None:
                continue
            if hold_for_embargo(revision, now=now):
                continue
            lateness = timezone.now() - revision.approved_go_live_at
            revision.publish(log_action="wagtail.publish.scheduled")
            run.published.append(revision.object_id and int(revision.object_id))
            run.lateness.append(lateness)
            logger.info(
                "Published scheduled revision %s of %s, %.3f s after its go-live time",
                revision_id,
                revision.object_str,
                lateness.total_seconds(),
            )


# A revision published later than this after its go-live time was waiting for a scheduler
# that was not running (two beat ticks is the normal worst case).
CATCH_UP_AFTER = timedelta(seconds=10)


def run_schedule(*, now: datetime | None = None) -> ScheduleRun:
    """Take expired pages down, then publish every overdue revision in go-live order.

    Each page is handled in its own short transaction, so a worker killed mid-run leaves
    every page either done (published, logged, signalled) or untouched for the next tick.
    """
    now = now or timezone.now()
    run = ScheduleRun()
    expire_due_pages(now=now, run=run)
    publish_due_revisions(now=now, run=run)
    overdue = [late for late in run.lateness if late > CATCH_UP_AFTER]
    if overdue:
        logger.warning(
            "Caught up on %d overdue scheduled revisions; the longest waited %.1f s",
            len(overdue),
            max(overdue).total_seconds(),
        )
    return run
