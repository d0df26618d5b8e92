"""Live coverage in Chromium: an editor opens the coverage desk, two writers post at once, and a
reader's open page shows both updates within five seconds without reloading; a key event joins
the summary; ending coverage turns the page into an archive."""

from django.contrib.auth.models import Group, User
from django.db import close_old_connections

from wagtail.models import Collection

import pytest
from playwright.sync_api import expect

from editorial.newsroom import EDITORS, WRITERS, install_newsroom
from live.factories import LivePageFactory
from live.models import LiveEntry
from news.factories import StaffProfilePageFactory
from tests.browser.test_editorial_flow import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WITHIN = 5_000  # ms: the promise to readers, counted from the moment the change is saved
SAVED = 30_000  # ms: how long the writer's own request may take on a loaded machine


def make_staff(staff_index) -> dict[str, User]:
    people = {}
    for username, group in (("eddie", EDITORS), ("wren", WRITERS), ("wes", WRITERS)):
        user = User.objects.create_user(username, f"{username}@masthead.test", PASSWORD)
        user.groups.add(Group.objects.get(name=group))
        StaffProfilePageFactory(parent=staff_index, title=username.title(), user=user)
        people[username] = user
    return people


def entry_id(text: str) -> int:
    close_old_connections()
    return next(entry.pk for entry in LiveEntry.objects.all() if entry.text() == text)


def test_two_writers_post_and_an_open_reader_page_shows_both_without_reloading(
    live_server, browser, site_tree, celery_worker_instance
):
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    install_newsroom()
    people = make_staff(site_tree["staff"])
    page = LivePageFactory(
        parent=site_tree["news"],
        title="Election night: live",
        slug="election-night",
        owner=people["eddie"],
        authors=[people["wren"].staff_profile, people["wes"].staff_profile],
    )
    page.save_revision().publish()
    page_url = f"{live_server.url}/news/election-night/"

    # The editor opens the coverage from the admin menu's list.
    editor = log_in(browser, live_server, "eddie")
    editor.goto(f"{live_server.url}/admin/live/")
    editor.get_by_role("link", name="Election night: live").first.click()
    editor.wait_for_url(f"{live_server.url}/admin/live/{page.pk}/")

    reader = browser.new_context().new_page()
    reader.goto(page_url)
    expect(reader.get_by_text("No updates yet.")).to_be_visible()
    reader.evaluate("window.__sameDocument = true")

    writers = []
    for username in ("wren", "wes"):
        tab = log_in(browser, live_server, username)
        tab.goto(f"{live_server.url}/admin/live/{page.pk}/")
        writers.append(tab)
    texts = ["Turnout passes 60% in the capital.", "First result declared in Northfield."]
    for tab, text in zip(writers, texts, strict=True):
        tab.get_by_label("Text").fill(text)
    for tab in writers:  # both submit before either waits for its answer
        tab.get_by_role("button", name="Post update").click(no_wait_after=True)
    # The promise runs from the moment each update is saved (the desk says so), not from the
    # click: a slow admin request on a busy machine is not the readers' page being slow.
    for tab in writers:
        expect(tab.get_by_text("Update posted.")).to_be_visible(timeout=SAVED)

    for text in texts:
        expect(reader.locator(".live-updates__list").get_by_text(text)).to_be_visible(
            timeout=WITHIN
        )
    assert reader.evaluate("window.__sameDocument") is True  # no reload happened
    expect(reader.get_by_text("No updates yet.")).to_have_count(0)

    # The editor marks the second result a key event: the reader's summary shows it.
    key_id = entry_id(texts[1])
    editor.reload()
    editor.locator(f"#desk-entry-{key_id}").get_by_role("button", name="Mark key event").click()
    expect(editor.locator(f"#desk-entry-{key_id}")).to_contain_text("Key event", timeout=SAVED)
    summary = reader.locator("[data-live-key-events]")
    expect(summary.get_by_role("link", name=texts[1])).to_be_visible(timeout=WITHIN)
    assert summary.get_by_role("link").get_attribute("href") == f"#entry-{key_id}"

    # Ending coverage: the open page says so, and the page now reads as an archive.
    editor.get_by_role("button", name="End coverage").click()
    expect(editor.get_by_text("Coverage ended: the page now reads as an archive.")).to_be_visible(
        timeout=SAVED
    )
    expect(reader.get_by_text("This coverage has ended.")).to_be_visible(timeout=WITHIN)
    assert reader.evaluate("window.__sameDocument") is True
    reader.reload()
    expect(reader.get_by_text("This live coverage has ended.")).to_be_visible()
    expect(reader.get_by_text("Coverage ended", exact=True)).to_be_visible()
    for text in texts:
        expect(reader.locator(".live-updates__list").get_by_text(text)).to_be_visible()
    assert reader.locator("[data-updates-url]").count() == 0
