"""What the news desk looks at: review queues, drafts and the schedule
(the calendar of it is the story budget, in planning)."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from wagtail.admin.utils import get_user_display_name
from wagtail.models import (
    GroupPagePermission,
    Page,
    Revision,
    TaskState,
    WorkflowState,
    get_default_page_content_type,
)

from editorial.access import visible_in_admin
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
class ChangesRequested:
    status: str  # "Changes requested by Eddie"
    comment: str


def changes_requested_on(pages) -> dict[int, ChangesRequested]:
    """For each of `pages` sent back for changes: who asked and what they said."""
    states = WorkflowState.objects.filter(
        status=WorkflowState.STATUS_NEEDS_CHANGES,
        base_content_type=get_default_page_content_type(),
        object_id__in=[str(page.pk) for page in pages],
    ).select_related("current_task_state__finished_by")
    requests = {}
    for state in states:
        task_state = state.current_task_state
        by = task_state.finished_by if task_state else None
        requests[int(state.object_id)] = ChangesRequested(
            status=f"Changes requested by {get_user_display_name(by)}"
            if by
            else "Changes requested",
            comment=task_state.specific.get_comment() if task_state else "",
        )
    return requests


def sees_the_whole_desk(user) -> bool:
    """Editors and chiefs (who may edit others' stories) watch the whole newsroom's output."""
    return (
        user.is_superuser
        or GroupPagePermission.objects.filter(
            group__user=user, permission__codename="change_page"
        ).exists()
    )


@dataclass(frozen=True)
class ScheduleEntry:
    at: datetime
    kind: str  # "go-live", "expiry", "published" or "embargo" (its embargo lifts)
    page: Page

    @property
    def day(self) -> date:
        return timezone.localtime(self.at, newsroom_zone()).date()

    @property
    def title(self) -> str:
        """What goes live is the approved draft; what expires is the page readers see now."""
        return self.page.get_admin_display_title() if self.kind == "go-live" else self.page.title


def scheduled_between(start: datetime, end: datetime, *, user) -> list[ScheduleEntry]:
    """Approved go-lives and expiries of live pages in [start, end), soonest first, of the pages
    `user` may open in the admin (an embargo is as private as the draft it publishes)."""
    revisions = (
        Revision.page_revisions.filter(approved_go_live_at__gte=start, approved_go_live_at__lt=end)
        .select_related("content_type")
        .order_by("approved_go_live_at", "pk")
    )
    pages = visible_in_admin(
        Page.objects.filter(pk__in=[int(revision.object_id) for revision in revisions]), user
    ).in_bulk()
    entries = [
        ScheduleEntry(revision.approved_go_live_at, "go-live", pages[int(revision.object_id)])
        for revision in revisions
        if int(revision.object_id) in pages
    ]
    # Expiries and embargoes lifting in one query (each visibility check costs a few).
    expiring = Q(live=True, expire_at__gte=start, expire_at__lt=end)
    lifting = Q(articlepage__embargo_until__gte=start, articlepage__embargo_until__lt=end) | Q(
        livepage__embargo_until__gte=start, livepage__embargo_until__lt=end
    )
    for page in visible_in_admin(Page.objects.filter(expiring | lifting), user).annotate(
        lifts_at=Coalesce("articlepage__embargo_until", "livepage__embargo_until")
    ):
        if page.live and page.expire_at and start <= page.expire_at < end:
            entries.append(ScheduleEntry(page.expire_at, "expiry", page))
        if page.lifts_at and start <= page.lifts_at < end:
            entries.append(ScheduleEntry(page.lifts_at, "embargo", page))
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
