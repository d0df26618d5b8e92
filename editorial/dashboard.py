"""The news desk's dashboard panels on the admin home page."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from wagtail.admin.ui.components import Component

from editorial import desk


class DeskPanel(Component):
    template_name = "editorial/panels/desk_panel.html"
    heading = ""
    panel_id = ""

    def items(self, user) -> list[dict]:
        raise NotImplementedError

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {
            "heading": self.heading,
            "panel_id": self.panel_id,
            "items": self.items(request.user),
            "time_zone": settings.TIME_ZONE,
        }


class AwaitingMyReviewPanel(DeskPanel):
    order = 90
    heading = "Awaiting my review"
    panel_id = "awaiting-my-review"

    def items(self, user):
        return [
            {
                "page": state.workflow_state.content_object,
                "at": state.started_at,
                "note": state.task.name,
            }
            for state in desk.awaiting_review(user)[:20]
        ]


class MyDraftsPanel(DeskPanel):
    order = 91
    heading = "My drafts"
    panel_id = "my-drafts"

    def items(self, user):
        return [
            {"page": page, "at": page.latest_revision_created_at, "note": page.status_string}
            for page in desk.drafts_of(user)[:20]
        ]


class ScheduledNext24HoursPanel(DeskPanel):
    order = 92
    heading = "Scheduled next 24 h"
    panel_id = "scheduled-next-24h"

    def items(self, user):
        now = timezone.now()
        return [
            {
                "page": entry.page,
                "at": entry.at,
                "note": "Goes live" if entry.kind == "go-live" else "Expires",
            }
            for entry in desk.scheduled_between(now, now + timedelta(hours=24))
        ]


class PublishedTodayPanel(DeskPanel):
    order = 93
    heading = "Published today"
    panel_id = "published-today"

    def items(self, user):
        return [
            {"page": page, "at": page.last_published_at, "note": "Live"}
            for page in desk.published_since(desk.start_of_today())[:20]
        ]
