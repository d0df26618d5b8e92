"""Readers in real Chromium: every public page type, axe-clean, CSP-clean, and usable without JS."""

import json

from wagtail.models import Collection

import pytest

from news.factories import (
    ArticleCorrectionFactory,
    ArticlePageFactory,
    NewsImageFactory,
    SourceFactory,
    StaffProfilePageFactory,
)
from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def newsroom(site_tree):
    # Transactional tests start from flushed tables: images need Wagtail's root collection.
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    reporter = StaffProfilePageFactory(
        parent=site_tree["staff"], title="Ada Byline", slug="ada-byline", role="Courts reporter"
    )
    photographer = StaffProfilePageFactory(
        parent=site_tree["staff"],
        title="Bo Chen",
        slug="bo-chen",
        role="Photographer",
        photo=NewsImageFactory(description="Bo Chen"),
    )
    story = ArticlePageFactory(
        parent=site_tree["news"],
        title="Flood barrier holds as river peaks",
        slug="flood-barrier-holds",
        dek="Engineers say the new gates worked as designed.",
        lead_image=NewsImageFactory(description="The flood barrier at dawn", credit="Jo Snap"),
        source=SourceFactory(name="City Herald", url="https://herald.example.com/"),
        source_url="https://herald.example.com/flood",
        tags=["floods", "climate"],
        authors=[reporter, photographer],
    )
    ArticleCorrectionFactory(page=story, note="An earlier version misspelt a name.")
    for n in range(14):
        ArticlePageFactory(
            parent=site_tree["news"],
            title=f"Council story {n}",
            slug=f"council-{n}",
            tags=["floods"] if n % 2 else ["council"],
            authors=[reporter],
        )
    return story


def watch_csp(page) -> list[str]:
    """Collect the browser's CSP violation reports for this page."""
    reports: list[str] = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return reports


PAGES = {
    "home": "/",
    "index": "/news/",
    "tag": "/news/tag/floods/",
    "article": "/news/flood-barrier-holds/",
    "profile": "/staff/ada-byline/",
    "staff": "/staff/",
    "not found": "/news/no-such-story/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_reader_pages_are_accessible_and_csp_clean(live_server, page, newsroom, axe, name):
    reports = watch_csp(page)
    response = page.goto(f"{live_server.url}{PAGES[name]}")
    assert response.status == (404 if name == "not found" else 200)
    assert_no_axe_violations(axe, page)
    assert page.evaluate("document.querySelectorAll('h1').length") == 1
    assert reports == []


def test_article_page_in_the_browser(live_server, page, newsroom, axe):
    reports = watch_csp(page)
    page.goto(f"{live_server.url}/news/flood-barrier-holds/")

    # The skip link is the first stop for a keyboard and lands on the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    assert page.get_by_role("heading", level=1).inner_text() == "Flood barrier holds as river peaks"
    stats = page.locator(".article__stats li").all_inner_texts()
    assert stats == ["1 min read", "0 views", "2 tags"]
    assert page.get_by_role("img", name="The flood barrier at dawn").is_visible()
    assert page.get_by_role("link", name="City Herald").get_attribute("href") == (
        "https://herald.example.com/flood"
    )
    assert page.get_by_role("navigation", name="Tags").get_by_role("link").all_inner_texts() == [
        "climate",
        "floods",
    ]
    assert page.get_by_role("complementary", name="About Ada Byline").is_visible()
    assert page.get_by_role("heading", name="Correction").is_visible()
    assert page.get_by_role("heading", name="What did you think of this story?").is_visible()

    # The JSON-LD block is data: it parses, and the strict CSP did not complain about it.
    [raw] = page.locator('script[type="application/ld+json"]').all_text_contents()
    assert json.loads(raw)["@type"] == "NewsArticle"
    assert reports == []

    page.get_by_role("link", name="View all posts by Ada Byline").click()
    page.wait_for_url("**/staff/ada-byline/")
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Byline"


def test_tag_chip_leads_to_the_tag_archive_and_its_feed(live_server, page, newsroom):
    page.goto(f"{live_server.url}/news/flood-barrier-holds/")
    page.get_by_role("navigation", name="Tags").get_by_role("link", name="floods").click()
    page.wait_for_url("**/news/tag/floods/")
    assert page.get_by_role("heading", level=1).inner_text() == "Stories tagged “floods”"
    feed = page.locator('link[rel="alternate"][type="application/rss+xml"]').get_attribute("href")
    assert feed == "/news/tag/floods/feed/"


def test_pages_work_without_javascript(live_server, browser, newsroom):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/news/")
        page.get_by_role("link", name="Older stories").click()
        page.wait_for_url("**/news/?page=2")
        assert page.get_by_role("link", name="Newer stories").is_visible()

        page.get_by_role("link", name="Flood barrier holds as river peaks").click()
        page.wait_for_url("**/news/flood-barrier-holds/")
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Flood barrier holds as river peaks"
        )
    finally:
        context.close()
