"""The dashboard panels, in the newsroom's time zone (the Scheduled report is part of the story
budget now: tests/planning/test_budget.py)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

import pytest
import time_machine

from news.factories import ArticlePageFactory
from tests.editorial.conftest import complete_article, submit_for_review
from tests.editorial.scheduling_helpers import schedule

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def panel(html: str, panel_id: str) -> str:
    from wagtail.test.utils import WagtailTestUtils

    section = WagtailTestUtils.get_soup(html).find(id=f"{panel_id}-section")
    assert section is not None, panel_id
    return section.get_text(" ", strip=True)


@time_machine.travel(datetime(2026, 7, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_dashboard_panels_show_each_person_their_desk(newsroom, staff, as_role, settings):
    settings.TIME_ZONE = "Europe/London"
    news = newsroom["news"]
    submitted = complete_article(news, staff["writer"], title="Council vote delayed")
    submit_for_review(as_role("writer"), submitted)
    complete_article(news, staff["writer"], title="Unfinished ferry story")
    complete_article(news, staff["writer_b"], title="Writer B private draft")
    schedule(news, timezone.now() + timedelta(hours=3), title="Budget embargo lifts")
    schedule(news, timezone.now() + timedelta(days=2), title="Too far ahead for the panel")
    ArticlePageFactory(parent=news, title="Morning briefing", last_published_at=timezone.now())

    writer = as_role("writer").get("/admin/").content.decode()
    editor = as_role("editor").get("/admin/").content.decode()

    assert "Council vote delayed" in panel(editor, "awaiting-my-review")
    assert "Council vote delayed" not in panel(writer, "awaiting-my-review")
    drafts = panel(writer, "my-drafts")
    assert "Unfinished ferry story" in drafts and "Council vote delayed" in drafts
    assert "Writer B private draft" not in writer
    upcoming = panel(editor, "scheduled-next-24h")
    assert "Budget embargo lifts" in upcoming
    assert "Wed 1 Jul, 12:00 BST" in upcoming
    assert "Time (Europe/London)" in upcoming
    assert "Too far ahead for the panel" not in upcoming
    assert "Morning briefing" in panel(editor, "published-today")
