"""What the news desk looks at: review queues, drafts and the publishing calendar."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from wagtail.models import Page, Revision, TaskState

from news.models import ArticlePage


def newsroom_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def awaiting_review(user) -> QuerySet[TaskState]:
    """Workflow steps `user` may act on now (never their own submissions)."""
    return (
        TaskState.objects.reviewable_by(user)
        .select_related("task", "workflow_state__requested_by", "revision")
        .order_by("started_at")
    )


def drafts_of(user) -> QuerySet[ArticlePage]:
    """Articles `user` owns that are not live, or have unpublished changes, newest edit first."""
    return (
        ArticlePage.objects.filter(owner=user)
        .exclude(live=True, has_unpublished_changes=False)
        .order_by("-latest_revision_created_at", "-pk")
    )


@dataclass(frozen=True)
class ScheduleEntry:
    at: datetime
    kind: str  # "go-live" or "expiry"
    page: Page

    @property
    def day(self) -> date:
        return timezone.localtime(self.at, newsroom_zone()).date()


def scheduled_between(start: datetime, end: datetime) -> list[ScheduleEntry]:
    """Approved go-lives and expiries of live pages in [start, end), soonest first."""
    revisions = (
        Revision.page_revisions.filter(approved_go_live_at__gte=start, approved_go_live_at__lt=end)
        .select_related("content_type")
        .order_by("approved_go_live_at", "pk")
    )
    pages = Page.objects.in_bulk([int(revision.object_id) for revision in revisions])
    entries = [
        ScheduleEntry(revision.approved_go_live_at, "go-live", pages[int(revision.object_id)])
        for revision in revisions
        if int(revision.object_id) in pages
    ]
    expiring = Page.objects.filter(live=True, expire_at__gte=start, expire_at__lt=end)
    entries += [ScheduleEntry(page.expire_at, "expiry", page) for page in expiring]
    return sorted(entries, key=lambda entry: (entry.at, entry.page.pk))


def published_since(start: datetime) -> QuerySet[ArticlePage]:
    return (
        ArticlePage.objects.live()
        .filter(last_published_at__gte=start)
        .order_by("-last_published_at")
    )


def start_of_today(now: datetime | None = None) -> datetime:
    """Midnight today in the newsroom's time zone."""
    local = timezone.localtime(now or timezone.now(), newsroom_zone())
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def calendar(*, weeks: int, now: datetime | None = None) -> list[tuple[date, list]]:
    """Upcoming schedule grouped by ISO week (its Monday), then by day, newsroom time."""
    now = now or timezone.now()
    today = start_of_today(now)
    monday = today - timedelta(days=today.weekday())
    entries = scheduled_between(now, monday + timedelta(weeks=weeks))
    by_week: dict[date, dict[date, list[ScheduleEntry]]] = {}
    for entry in entries:
        week = entry.day - timedelta(days=entry.day.weekday())
        by_week.setdefault(week, {}).setdefault(entry.day, []).append(entry)
    return [(week, sorted(days.items())) for week, days in sorted(by_week.items())]
