"""The news desk's dashboard panels on the admin home page."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from wagtail.admin.ui.components import Component

from editorial import desk, new_story


class NewArticlePanel(Component):
    """A plain "New article" at the top of the dashboard: one click to the form, in the
    writer's usual section; the other sections they write in one click away too."""

    order = 10
    template_name = "editorial/panels/new_article.html"

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        sections = new_story.sections_to_write_in(user)
        default = new_story.default_section(user, sections)
        return {
            "default_section": default,
            "default_url": new_story.new_article_url(default) if default else None,
            "other_sections": [
                (section, new_story.new_article_url(section))
                for section in sections
                if section != default
            ],
        }


class DeskPanel(Component):
    template_name = "editorial/panels/desk_panel.html"
    heading = ""
    panel_id = ""

    def items(self, user) -> list[dict]:
        raise NotImplementedError

    def heading_for(self, user) -> str:
        return self.heading

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        return {
            "heading": self.heading_for(request.user),
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
                "title": state.workflow_state.content_object.get_admin_display_title(),
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
        drafts = list(desk.drafts_of(user)[:20])
        requests = desk.changes_requested_on(drafts)
        return [
            {
                "page": page,
                "title": page.get_admin_display_title(),
                "at": page.latest_revision_created_at,
                "note": requests[page.pk].status if page.pk in requests else page.status_string,
                "comment": requests[page.pk].comment if page.pk in requests else "",
            }
            for page in drafts
        ]


SCHEDULE_NOTES = {"go-live": "Goes live", "expiry": "Expires", "embargo": "Embargo lifts"}


class ScheduledNext24HoursPanel(DeskPanel):
    order = 92
    heading = "Scheduled next 24 h"
    panel_id = "scheduled-next-24h"

    def items(self, user):
        now = timezone.now()
        return [
            {
                "page": entry.page,
                "title": entry.title,
                "at": entry.at,
                "note": SCHEDULE_NOTES[entry.kind],
            }
            for entry in desk.scheduled_between(now, now + timedelta(hours=24), user=user)
        ]


class PublishedTodayPanel(DeskPanel):
    """The desk sees the newsroom's day; a writer, their own stories of the day."""

    order = 93
    panel_id = "published-today"

    def heading_for(self, user):
        return "Published today" if desk.sees_the_whole_desk(user) else "Mine published today"

    def items(self, user):
        published = desk.published_since(desk.start_of_today())
        if not desk.sees_the_whole_desk(user):
            published = published.by_writer(user)
        # The published headline: a pending edit's title is the editor's business until it is.
        return [
            {"page": page, "title": page.title, "at": page.last_published_at, "note": "Live"}
            for page in published[:20]
        ]
