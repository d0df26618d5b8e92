"""The story budget: the day's plan by section and slot in newsroom time, with the schedule
that used to be the Scheduled report, in a fixed number of queries; and "My work"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import time_machine

from news.factories import ArticlePageFactory
from planning.models import Assignment, AssignmentRole
from tests.editorial.conftest import complete_article, submit_for_review
from tests.editorial.scheduling_helpers import schedule
from tests.editorial.test_desk import panel as panel_text
from tests.planning.conftest import assignment_in

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
MORNING = datetime(2026, 3, 25, 10, 0, tzinfo=LONDON)


def text_of(response) -> str:
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@time_machine.travel(MORNING, tick=False)
def test_the_budget_lists_the_day_by_section_and_slot_with_status_and_lateness(
    newsroom, staff, as_role, sport
):
    news, writer = newsroom["news"], staff["writer"]
    assignment_in(
        news,
        writer,
        headline="Late council story",
        due_in=-timedelta(hours=1),
        slot_at=MORNING + timedelta(hours=4),
        word_target=800,
    )
    filed = complete_article(news, writer, title="Filed piece")
    submit_for_review(as_role("writer"), filed)
    assignment_in(
        news,
        writer,
        headline="Early tram story",
        article=filed,
        due_in=-timedelta(hours=2),
        slot_at=MORNING + timedelta(hours=1),
        word_target=400,
    )
    assignment_in(
        sport, staff["chief"], headline="Derby preview", slot_at=MORNING + timedelta(hours=2)
    )
    assignment_in(news, writer, headline="Tomorrow story", slot_at=MORNING + timedelta(days=1))

    text = text_of(as_role("chief").get("/admin/planning/budget/"))

    assert "Times are newsroom time, Europe/London." in text.replace("<strong>", "").replace(
        "</strong>", ""
    )
    # Sections in tree order, each by slot: News (11:00, 14:00), then Sport.
    assert (
        text.index("Early tram story")
        < text.index("Late council story")
        < text.index("Derby preview")
    )
    assert "Tomorrow story" not in text
    assert "1,200 words" in text or "1200 words" in text
    assert "Filed (Copy edit)" in text
    # Past due and still with the reporter: late. Filed copy is not late, however old its due time.
    assert "late by 1 hour" in text
    assert text.count("late by") == 1
    assert ">14:00</time>" in text
    assert "Writer (reporter)" in text

    tomorrow = text_of(as_role("chief").get("/admin/planning/budget/?day=2026-03-26"))
    assert "Tomorrow story" in tomorrow and "Early tram story" not in tomorrow
    only_filed = text_of(as_role("chief").get("/admin/planning/budget/?status=filed"))
    assert "Early tram story" in only_filed and "Late council story" not in only_filed
    only_sport = text_of(as_role("chief").get(f"/admin/planning/budget/?section={sport.pk}"))
    assert "Derby preview" in only_sport and "Early tram story" not in only_sport
    week = text_of(as_role("chief").get("/admin/planning/budget/?span=week"))
    assert "Tomorrow story" in week


@time_machine.travel(MORNING, tick=False)
def test_scheduled_and_published_work_shares_the_budget_in_newsroom_time(newsroom, staff, as_role):
    """What the Scheduled report showed: go-lives and expiries, now on the budget."""
    news = newsroom["news"]
    now = timezone.now()
    schedule(news, now + timedelta(hours=2), title="Same-day launch")
    schedule(news, now + timedelta(days=5), title="Clocks-change launch")
    ArticlePageFactory(parent=news, title="Offer ends", expire_at=now + timedelta(days=8))

    html = as_role("editor").get("/admin/planning/budget/?span=month").content.decode()
    text = " ".join(html.split())

    assert (
        text.index("Same-day launch")
        < text.index("Clocks-change launch")
        < text.index("Offer ends")
    )
    # 10:00 GMT + 5 days crosses the change to summer time: shown as 11:00 BST.
    assert "11:00 BST</time>" in html
    assert "12:00 GMT</time>" in html
    day = as_role("editor").get("/admin/planning/budget/").content.decode()
    assert "Same-day launch" in day and "Clocks-change launch" not in day


def test_the_old_scheduled_report_sends_you_to_the_budget(newsroom, staff, as_role):
    editor = as_role("editor")
    assert (
        editor.get("/admin/editorial/scheduled/")["Location"]
        == "/admin/planning/budget/?span=month"
    )
    assert (
        editor.get("/admin/editorial/scheduled/?span=week")["Location"]
        == "/admin/planning/budget/?span=week"
    )
    menu = editor.get("/admin/").content.decode()
    assert "/admin/planning/budget/" in menu
    assert "/admin/editorial/scheduled/" not in menu


def budget_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/planning/budget/")
    assert response.status_code == 200
    return len(queries)


def plan_day(section, people, count: int) -> None:
    start = timezone.now().replace(hour=9)
    assignments = Assignment.objects.bulk_create(
        Assignment(
            headline=f"Story {n}",
            section=section,
            due_at=start,
            slot_at=start + timedelta(minutes=n),
        )
        for n in range(count)
    )
    AssignmentRole.objects.bulk_create(
        AssignmentRole(assignment=assignment, user=person, role=role)
        for assignment in assignments
        for person, role in zip(people, ("reporter", "photographer"), strict=True)
    )


@time_machine.travel(MORNING, tick=False)
def test_a_day_of_300_assignments_renders_in_as_many_queries_as_a_day_of_three(
    newsroom, staff, as_role
):
    news, people = newsroom["news"], [staff["writer"], staff["writer_b"]]
    editor = as_role("editor")
    editor.get("/admin/planning/budget/")  # the session and Wagtail's per-process caches
    plan_day(news, people, 3)
    few = budget_queries(editor)
    article = complete_article(news, staff["writer"], title="Linked")
    Assignment.objects.filter(headline="Story 0").update(article=article)
    plan_day(news, people, 297)

    many = budget_queries(editor)
    html = editor.get("/admin/planning/budget/").content.decode()

    assert html.count("data-assignment=") == 300
    assert many == few
    # The admin frame (session, menus, dashboard hooks of every room) is most of it: 42 with
    # planning, live, sharing, releases, the desk filters, the gate and the embargo installed.
    assert many <= 44


@time_machine.travel(MORNING, tick=False)
def test_my_work_lists_my_open_assignments_overdue_first(newsroom, staff, as_role):
    writer = staff["writer"]
    assignment_in(
        newsroom["news"], writer, headline="Due this afternoon", due_in=timedelta(hours=4)
    )
    assignment_in(newsroom["news"], writer, headline="Due in an hour", due_in=timedelta(hours=1))
    assignment_in(
        newsroom["news"], writer, headline="Overdue since dawn", due_in=-timedelta(hours=3)
    )
    assignment_in(newsroom["news"], staff["writer_b"], headline="Another writer story")
    killed = assignment_in(newsroom["news"], writer, headline="Spiked story")
    Assignment.objects.filter(pk=killed.pk).update(killed_at=timezone.now())

    html = as_role("writer").get("/admin/").content.decode()
    panel = panel_text(html, "my-work")

    assert (
        panel.index("Overdue since dawn")
        < panel.index("Due in an hour")
        < panel.index("Due this afternoon")
    )
    assert panel.count("Overdue") == 2  # the headline and its one flag
    assert "Another writer story" not in panel and "Spiked story" not in panel
    assert "Wed 25 Mar, 11:00 GMT" in panel
