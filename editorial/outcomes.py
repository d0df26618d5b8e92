"""What a person's action in the article editor did to the story, in the desk's words.

Wagtail's edit view reports every workflow action as "Page '…' has been updated." (an
approval, a request for changes, an approval that published), and a publication as "Page '…'
has been published." The `after_edit_page` hook (editorial/wagtail_hooks.py) asks `outcome()`
what happened, from the state of the step acted on, and replaces Wagtail's success message.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.utils import timezone

from wagtail.admin.utils import get_user_display_name
from wagtail.models import Page, TaskState, WorkflowTask

from editorial.desk import newsroom_zone


@dataclass(frozen=True)
class Outcome:
    text: str
    level: int = messages.SUCCESS


def newsroom_time(moment: datetime, *, now: datetime | None = None) -> str:
    """ "14:30 (Europe/London)" today, "Tue 8 Dec, 14:30 (Europe/London)" another day."""
    zone = newsroom_zone()
    local = timezone.localtime(moment, zone)
    today = timezone.localtime(now or timezone.now(), zone).date()
    shown = (
        f"{local:%H:%M}" if local.date() == today else f"{local:%a} {local.day} {local:%b, %H:%M}"
    )
    return f"{shown} ({zone.key})"


def published_or_scheduled(page: Page) -> Outcome | None:
    """What a publication just did: live now, or scheduled (None: neither happened)."""
    page = Page.objects.get(pk=page.pk)
    headline = page.specific.get_admin_display_title()
    scheduled = page.scheduled_revision
    if scheduled is not None and scheduled.approved_go_live_at:
        return Outcome(
            f"Scheduled for {newsroom_time(scheduled.approved_go_live_at)}: “{headline}”."
        )
    if page.live and not page.has_unpublished_changes:
        return Outcome(f"Published: “{headline}”.")
    return None


def submitted(page: Page) -> Outcome | None:
    state = Page.objects.get(pk=page.pk).current_workflow_task_state
    if state is None:
        return None
    return Outcome(f"Sent to {state.task.name}: “{page.specific.get_admin_display_title()}”.")


def comes_after(state: TaskState, earlier: TaskState) -> bool:
    """Whether `state`'s step follows `earlier`'s in the workflow (not a restart)."""
    order = dict(
        WorkflowTask.objects.filter(workflow_id=state.workflow_state.workflow_id).values_list(
            "task_id", "sort_order"
        )
    )
    return order.get(state.task_id, -1) > order.get(earlier.task_id, -1)


def workflow_action_outcome(page: Page, *, acted_state_id: int | None, user) -> Outcome | None:
    """What approving or requesting changes on step `acted_state_id` did to `page`."""
    acted = TaskState.objects.filter(pk=acted_state_id).select_related("task").first()
    if acted is None:
        return None
    headline = page.specific.get_admin_display_title()
    if acted.status == TaskState.STATUS_REJECTED:
        name = get_user_display_name(acted.finished_by or user)
        return Outcome(f"Changes requested by {name}: “{headline}”.")
    current = Page.objects.get(pk=page.pk).current_workflow_task_state
    if current is not None and current.pk != acted.pk and not comes_after(current, acted):
        # Review restarted: `say_when_review_restarted` (editorial/wagtail_hooks.py) explains;
        # here only Wagtail's "has been updated" goes.
        return Outcome("")
    if acted.status != TaskState.STATUS_APPROVED:
        return None
    if current is not None and current.pk != acted.pk:
        return Outcome(f"Approved — sent to {current.task.name}: “{headline}”.")
    return published_or_scheduled(page) or Outcome(f"Approved: “{headline}”.")


def replace_success_messages(request, outcome: Outcome) -> None:
    """Drop the success messages queued by this request (Wagtail's) for `outcome`; warnings
    and errors stay."""
    kept = [
        message for message in messages.get_messages(request) if message.level != messages.SUCCESS
    ]
    for message in kept:
        messages.add_message(request, message.level, message.message, extra_tags=message.extra_tags)
    if outcome.text:
        messages.add_message(request, outcome.level, outcome.text)
