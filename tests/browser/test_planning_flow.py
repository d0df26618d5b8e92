"""The planning desk in Chromium: a writer pitches, the editor accepts and assigns it with a due
time, the writer starts the draft from "My work" and files it, it goes through the News desk
workflow to a scheduled publish, and the story budget shows each status as it happens, with
nobody editing the assignment."""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from wagtail.models import Collection

import pytest

from editorial.newsroom import install_newsroom
from news.factories import NewsImageFactory
from news.models import ArticlePage
from planning.models import Assignment, Pitch
from tests.browser.test_editorial_flow import log_in, make_staff, open_action_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDEA = "Night buses return to the harbour route"


def budget_status(tab, live_server, assignment: Assignment) -> str:
    tab.goto(f"{live_server.url}/admin/planning/budget/")
    return tab.locator(f'tr[data-assignment="{assignment.pk}"] .budget-status').inner_text().strip()


def test_a_pitch_becomes_a_scheduled_story_and_the_budget_follows(live_server, browser, site_tree):
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    install_newsroom()
    people = make_staff(site_tree["staff"])
    newsroom_time = ZoneInfo(settings.TIME_ZONE)

    # The writer pitches.
    writer = log_in(browser, live_server, "wren")
    writer.goto(f"{live_server.url}/admin/planning/pitches/new/")
    writer.locator("#id_idea").fill(IDEA)
    writer.locator("#id_summary").fill("The operator restores the 1 a.m. service from Monday.")
    writer.locator("#id_section").select_option(label="News")
    writer.get_by_role("button", name="Create").click()
    writer.wait_for_url(f"{live_server.url}/admin/planning/pitches/")
    pitch = Pitch.objects.get()
    assert (pitch.proposer, pitch.state) == (people["wren"], "proposed")

    # The editor accepts it and assigns it to the writer, due in two hours, slotted for later.
    due = (
        (timezone.now() + timedelta(hours=2))
        .astimezone(newsroom_time)
        .replace(second=0, microsecond=0)
    )
    editor = log_in(browser, live_server, "eddie")
    editor.goto(f"{live_server.url}/admin/planning/pitches/")
    editor.get_by_role("link", name="Accept").click()
    editor.locator("#id_reporter").select_option(label="wren")
    editor.locator("#id_due_at").fill(due.strftime("%Y-%m-%dT%H:%M"))
    editor.locator("#id_slot_at").fill((due + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    editor.get_by_role("button", name="Accept and assign").click()
    editor.wait_for_url(f"{live_server.url}/admin/planning/assignments/edit/**")
    assignment = Assignment.objects.get()
    assert assignment.due_at == due
    assert budget_status(editor, live_server, assignment) == "Assigned"

    # The writer finds it in "My work" and starts the draft: the article editor opens.
    writer.goto(f"{live_server.url}/admin/")
    writer.locator("#my-work-section").get_by_role("link", name=IDEA).click()
    writer.get_by_role("button", name="Start the draft").click()
    writer.wait_for_url(f"{live_server.url}/admin/pages/*/edit/")
    article = ArticlePage.objects.get()
    assert (article.title, article.owner) == (IDEA, people["wren"])
    assert budget_status(editor, live_server, assignment) == "In progress"

    # Photo desk's picture and the tag arrive on the draft (kept out of the browser: the
    # image chooser is not what this test is about); the writer writes the dek and files.
    draft = article.get_latest_revision_as_object()
    draft.lead_image = NewsImageFactory(description="A night bus at the harbour stop")
    draft.tags.add("transport")
    draft.save_revision(user=people["wren"])
    writer.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    writer.locator("#id_dek").fill("The 1 a.m. service runs again from Monday.")
    open_action_menu(writer)
    writer.get_by_role("button", name="Submit to News desk").click()
    writer.wait_for_url(f"{live_server.url}/admin/pages/{site_tree['news'].pk}/")
    assert budget_status(editor, live_server, assignment) == "Filed (Copy edit)"

    # The editor passes the copy edit.
    editor.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    open_action_menu(editor)
    editor.get_by_role("button", name="Approve with comment").click()
    editor.get_by_role("dialog").get_by_label("Comment").fill("Times checked with the operator.")
    editor.get_by_role("dialog").get_by_role("button", name="Approve with comment").click()
    editor.wait_for_url(f"{live_server.url}/admin/pages/{site_tree['news'].pk}/")
    assert budget_status(editor, live_server, assignment) == "In edit (Publication approval)"

    # The chief schedules it for the slot.
    go_live = assignment.slot_at
    chief = log_in(browser, live_server, "cleo")
    chief.goto(f"{live_server.url}/admin/pages/{article.pk}/edit/")
    chief.locator('[data-side-panel-toggle="status"]').click()
    chief.get_by_role("button", name="Set schedule").click()
    chief.locator("#id_go_live_at").fill(
        go_live.astimezone(newsroom_time).strftime("%Y-%m-%d %H:%M")
    )
    chief.get_by_role("button", name="Save schedule").dispatch_event("click")
    chief.wait_for_load_state()
    open_action_menu(chief)
    chief.get_by_role("button", name="Schedule to publish").click()
    chief.get_by_role("dialog").get_by_role("button", name="Publish").click()
    chief.wait_for_url(f"{live_server.url}/admin/pages/{site_tree['news'].pk}/")

    status = budget_status(editor, live_server, assignment)
    assert status.startswith("Scheduled"), status
    assert go_live.astimezone(newsroom_time).strftime("%H:%M") in status
    # Nobody touched the assignment after the editor made it.
    assert [entry.action for entry in assignment_log(assignment)] == [
        "wagtail.create",
        "planning.assignment.start_draft",
    ]


def assignment_log(assignment):
    from wagtail.models import ModelLogEntry

    return ModelLogEntry.objects.for_instance(assignment).order_by("pk")
