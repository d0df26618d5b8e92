"""The dashboard panels and the Scheduled report, in the newsroom's time zone."""

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


@time_machine.travel(datetime(2026, 3, 25, 10, 0, tzinfo=LONDON), tick=False)
def test_scheduled_report_groups_go_lives_and_expiries_by_week_and_day(newsroom, staff, as_role):
    news = newsroom["news"]
    now = timezone.now()
    schedule(news, now + timedelta(hours=2), title="Same-day launch")
    schedule(news, now + timedelta(days=5), title="Clocks-change launch")
    ArticlePageFactory(parent=news, title="Offer ends", expire_at=now + timedelta(days=8))

    html = as_role("editor").get("/admin/editorial/scheduled/").content.decode()
    text = " ".join(html.split())

    assert "Times are newsroom time, Europe/London." in text.replace("<strong>", "").replace(
        "</strong>", ""
    )
    assert "Week of Monday 23 March 2026" in text
    assert "Week of Monday 30 March 2026" in text
    assert (
        text.index("Same-day launch")
        < text.index("Clocks-change launch")
        < text.index("Offer ends")
    )
    # 10:00 GMT + 5 days crosses the change to summer time: shown as 11:00 BST.
    assert ">11:00 BST</time>" in html
    assert ">12:00 GMT</time>" in html
    week = as_role("editor").get("/admin/editorial/scheduled/?span=week").content.decode()
    assert "Same-day launch" in week and "Offer ends" not in week


def test_scheduled_report_is_in_the_reports_menu(newsroom, staff, as_role):
    html = as_role("editor").get("/admin/").content.decode()
    assert "/admin/editorial/scheduled/" in html
