"""A reader searches from the home page, by keyboard, in real Chromium."""

import re

from django.utils import timezone

import pytest

from news.factories import ArticlePageFactory, StaffProfilePageFactory
from news.models import ArticlePage
from tests.browser.conftest import assert_no_axe_violations
from tests.search.test_index_updates import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stories(site_tree, redis_client, celery_worker_instance):
    """Two published stories, indexed by the real worker as after an editor's publish."""
    reporter = StaffProfilePageFactory(parent=site_tree["staff"], title="Harriet Rivera")
    ArticlePageFactory(
        parent=site_tree["news"],
        title="Harbour bridge reopens after repairs",
        dek="Traffic returns to the old harbour crossing.",
        first_published_at=timezone.now(),
        authors=[reporter],
    )
    ArticlePageFactory(
        parent=site_tree["news"],
        title="Ferry timetable changes in spring",
        dek="Fewer sailings from the harbour on Sundays.",
    )
    assert wait_for(lambda: ArticlePage.objects.search("harbour").count(), 2) == 2


def test_reader_searches_from_the_home_page(live_server, page, stories, axe):
    page.goto(f"{live_server.url}/")
    box = page.get_by_role("combobox", name="Search the news")
    box.fill("harbour")
    box.press("Enter")  # no suggestion chosen: the form submits

    page.wait_for_url(re.compile(r"/search/\?q=harbour"))
    assert page.locator(".search-count").inner_text() == "2 results for “harbour”"
    results = page.locator(".search-result__title")
    assert results.all_inner_texts() == [
        "Harbour bridge reopens after repairs",
        "Ferry timetable changes in spring",
    ]
    assert page.locator(".search-result mark").first.inner_text().lower() == "harbour"
    assert_no_axe_violations(axe, page)


def test_reader_picks_a_suggestion_with_the_keyboard(live_server, page, stories, axe):
    page.goto(f"{live_server.url}/")
    box = page.get_by_role("combobox", name="Search the news")
    box.focus()
    page.keyboard.type("harb", delay=30)

    listbox = page.get_by_role("listbox", name="Search suggestions")
    listbox.wait_for()
    options = listbox.get_by_role("option")
    assert options.all_inner_texts() == ["Story: Harbour bridge reopens after repairs"]
    assert box.get_attribute("aria-expanded") == "true"
    assert_no_axe_violations(axe, page)

    page.keyboard.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")

    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert listbox.is_hidden()

    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.type("rr", delay=30)  # "harr": the reporter
    page.get_by_role("option", name="Author: Harriet Rivera").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")

    page.wait_for_url(f"{live_server.url}/staff/harriet-rivera/")
