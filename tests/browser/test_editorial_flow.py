"""The whole News desk flow in Chromium: write, submit, copy edit, checklist, schedule, go live.

The writer drafts and submits; the editor approves with a comment; the chief's approval is
refused by the publication checklist (the lead image has no alt text); the chief fixes the
alt text and schedules the article; beat and a worker publish it on their own.
"""

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.utils import timezone

from wagtail.models import Collection, TaskState

import pytest

from editorial.newsroom import CHIEF_EDITORS, COPY_EDIT, EDITORS, WRITERS, install_newsroom
from news.factories import ArticlePageFactory, NewsImageFactory, StaffProfilePageFactory
from news.models import ArticlePage
from tests.browser.conftest import assert_no_axe_violations
from tests.editorial.scheduling_helpers import start_beat, stop, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
HEADLINE = "Tram line reopens after the flood"


def make_staff(staff_index):
    people = {}
    for username, group in (("wren", WRITERS), ("eddie", EDITORS), ("cleo", CHIEF_EDITORS)):
        user = User.objects.create_user(username, f"{username}@masthead.test", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        StaffProfilePageFactory(parent=staff_index, title=username.title(), user=user)
        people[username] = user
    return people


def log_in(browser, live_server, username):
    context = browser.new_context()
    tab = context.new_page()
    tab.goto(f"{live_server.url}/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{live_server.url}/admin/")
    return tab


def open_action_menu(tab):
    tab.get_by_role("button", name="More actions").click()


def test_article_goes_from_writer_to_live_on_its_own(
    live_server, browser, site_tree, celery_worker_instance, tmp_path, axe
):
    # Transactional tests start from flushed tables: images need their root collection.
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    install_newsroom()
    people = make_staff(site_tree["staff"])
    image = NewsImageFactory(title="Flooded tram depot", description="")
    article = ArticlePageFactory(
        parent=site_tree["news"],
        draft=True,
        title="Untitled draft",
        owner=people["wren"],
        lead_image=image,
        tags=["transport"],
        authors=[people["wren"].staff_profile],
    )
    article.save_revision(user=people["wren"])
    edit_url = f"{live_server.url}/admin/pages/{article.pk}/edit/"

    # The writer drafts the headline and dek, then submits for review.
    writer = log_in(browser, live_server, "wren")
    writer.goto(edit_url)
    writer.locator("#id_title").fill(HEADLINE)
    writer.locator("#id_dek").fill("Services resume on Monday after three weeks of repairs.")
    open_action_menu(writer)
    writer.get_by_role("button", name="Submit to News desk").click()
    writer.wait_for_url(f"{live_server.url}/admin/pages/{site_tree['news'].pk}/")
    state = ArticlePage.objects.get(pk=article.pk).current_workflow_task_state
    assert state.task.name == COPY_EDIT

    # The editor approves the copy edit with a comment.
    editor = log_in(browser, live_server, "eddie")
    assert editor.get_by_role("link", name=HEADLINE).first.is_visible()
    editor.goto(edit_url)
    open_action_menu(editor)
    editor.get_by_role("button", name="Approve with comment").click()
    editor.get_by_role("dialog").get_by_label("Comment").fill(
        "Checked the dates with the transport authority."
    )
    editor.get_by_role("dialog").get_by_role("button", name="Approve with comment").click()
    editor.wait_for_url(f"{live_server.url}/admin/pages/{site_tree['news'].pk}/")
    copy_edit = TaskState.objects.get(pk=state.pk)
    assert copy_edit.status == TaskState.STATUS_APPROVED
    assert copy_edit.get_comment() == "Checked the dates with the transport authority."

    # The chief's approval is blocked by the checklist: the lead image has no alt text.
    chief = log_in(browser, live_server, "cleo")
    chief.goto(edit_url)
    open_action_menu(chief)
    chief.get_by_role("button", name="Approve", exact=True).click()
    alert = chief.get_by_role("dialog").get_by_role("alert")
    assert "Alt text for the lead image “Flooded tram depot”." in alert.inner_text()
    assert chief.get_by_role("dialog").get_by_role("button", name="Approve").count() == 0
    assert ArticlePage.objects.get(pk=article.pk).live is False

    # The chief writes the alt text, then schedules the article.
    chief.goto(f"{live_server.url}/admin/images/{image.pk}/")
    chief.locator("#id_description").fill("A tram depot under a metre of water")
    chief.get_by_role("button", name="Save").first.click()
    chief.wait_for_url(f"{live_server.url}/admin/images/")

    newsroom_time = ZoneInfo(settings.TIME_ZONE)
    go_live = (timezone.now() + timedelta(seconds=90)).replace(second=0, microsecond=0)
    chief.goto(edit_url)
    chief.locator('[data-side-panel-toggle="status"]').click()
    chief.get_by_role("button", name="Set schedule").click()
    chief.locator("#id_go_live_at").fill(
        go_live.astimezone(newsroom_time).strftime("%Y-%m-%d %H:%M")
    )
    # The date picker stays open over the dialog's button; click it through the DOM.
    chief.get_by_role("button", name="Save schedule").dispatch_event("click")
    chief.wait_for_load_state()
    open_action_menu(chief)
    chief.get_by_role("button", name="Schedule to publish").click()
    # The chief's own publish supersedes the review: Wagtail asks before ending the workflow.
    chief.get_by_role("dialog").get_by_role("button", name="Publish").click()
    chief.wait_for_url(f"{live_server.url}/admin/pages/{site_tree['news'].pk}/")
    scheduled = ArticlePage.objects.get(pk=article.pk)
    assert scheduled.live is False
    assert scheduled.scheduled_revision.approved_go_live_at == go_live

    # Beat and the worker publish it on their own, within five seconds of its time.
    beat = start_beat(tmp_path)
    try:
        assert wait_until(
            lambda: ArticlePage.objects.get(pk=article.pk).live, timeout=150, interval=0.5
        ), (tmp_path / "beat.log").read_text()
    finally:
        stop(beat)
    published = ArticlePage.objects.get(pk=article.pk)
    assert 0 <= (published.last_published_at - go_live).total_seconds() <= 5

    reader = browser.new_context().new_page()
    reader.goto(f"{live_server.url}{published.url}")
    assert reader.get_by_role("heading", level=1).inner_text() == HEADLINE
    assert_no_axe_violations(axe, reader)
