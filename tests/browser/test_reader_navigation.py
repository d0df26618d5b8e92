"""A reader on a 390 px phone, with JavaScript and without: header sections, a story's top,
the author and a tag; a rate-limited comment in the site's own words; axe on every page type in
light and dark mode; print."""

from wagtail.models import Collection
from wagtail.search import index

import pytest

from news.factories import ArticlePageFactory, NewsIndexPageFactory, StaffProfilePageFactory
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_readership import READER_UA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}


@pytest.fixture
def newsroom(site_tree):
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    world = NewsIndexPageFactory(parent=site_tree["news"], title="World", slug="world")
    NewsIndexPageFactory(parent=site_tree["news"], title="Politics", slug="politics")
    reporter = StaffProfilePageFactory(
        parent=site_tree["staff"], title="Ada Byline", slug="ada-byline", role="Diplomatic editor"
    )
    story = ArticlePageFactory(
        parent=world,
        title="Summit ends with a harbour accord",
        slug="summit-accord",
        dek="Leaders agree on shared rules for the busiest ports.",
        tags=["diplomacy", "ports"],
        authors=[reporter],
    )
    for number in range(3):
        ArticlePageFactory(parent=world, title=f"World briefing {number}", authors=[reporter])
    index.insert_or_update_object(story)
    return story


def new_tab(browser, *, javascript: bool, viewport=PHONE, **options):
    context = browser.new_context(
        java_script_enabled=javascript, viewport=viewport, user_agent=READER_UA, **options
    )
    return context, context.new_page()


def fits_the_screen(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_home_to_section_to_story_to_author_to_tag_on_a_phone(
    live_server, browser, newsroom, javascript
):
    context, tab = new_tab(browser, javascript=javascript)
    try:
        tab.goto(f"{live_server.url}/")
        sections = tab.get_by_role("navigation", name="Sections")
        world = sections.get_by_role("link", name="World")
        assert not world.is_visible()  # folded into the menu on a phone
        sections.locator("summary").click()
        assert world.is_visible()
        assert fits_the_screen(tab)

        world.click()
        tab.wait_for_url("**/news/world/")
        current = tab.get_by_role("navigation", name="Sections").locator("[aria-current]")
        assert current.get_attribute("aria-current") == "page"
        assert current.text_content() == "World"

        tab.get_by_role("link", name="Summit ends with a harbour accord").first.click()
        tab.wait_for_url("**/news/world/summit-accord/")
        assert tab.locator(".kicker").inner_text().strip().lower() == "world"
        crumbs = tab.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
        assert crumbs.all_inner_texts() == [
            "Home",
            "News",
            "World",
            "Summit ends with a harbour accord",
        ]
        assert tab.locator(".byline__names").inner_text() == "By Ada Byline"
        assert tab.locator(".article__date time").first.inner_text().endswith(" GMT")
        share = tab.get_by_role("region", name="Share this story")
        assert share.get_by_role("link", name="Bluesky").is_visible()
        # "Copy link" needs a script (and the clipboard API): without one, no dead button.
        assert share.get_by_role("button", name="Copy link").is_visible() == javascript
        assert fits_the_screen(tab)

        tab.locator(".byline__names").get_by_role("link", name="Ada Byline").click()
        tab.wait_for_url("**/staff/ada-byline/")
        assert tab.get_by_role("heading", level=1).inner_text() == "Ada Byline"
        assert fits_the_screen(tab)

        tab.get_by_role("link", name="Summit ends with a harbour accord").first.click()
        tab.wait_for_url("**/news/world/summit-accord/")
        tab.get_by_role("navigation", name="Tags").get_by_role("link", name="ports").click()
        tab.wait_for_url("**/news/tag/ports/")
        assert tab.get_by_role("heading", level=1).inner_text() == "Stories tagged “ports”"
        assert fits_the_screen(tab)
    finally:
        context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_on_a_laptop_the_sections_are_a_row_with_no_menu_button(
    live_server, browser, newsroom, javascript
):
    context, tab = new_tab(browser, javascript=javascript, viewport=LAPTOP)
    try:
        tab.goto(f"{live_server.url}/news/world/summit-accord/")
        sections = tab.get_by_role("navigation", name="Sections")
        assert not sections.locator("summary").is_visible()
        links = sections.get_by_role("link")
        assert links.all_inner_texts() == ["News", "World", "Politics", "Staff"]
        assert all(link.is_visible() for link in links.all())
        assert sections.get_by_role("link", name="World").get_attribute("aria-current") == "true"
    finally:
        context.close()


def test_a_rate_limited_comment_shows_the_sites_own_message(
    live_server, browser, newsroom, settings, redis_client
):
    settings.READERSHIP_COMMENT_MIN_SECONDS = 0
    context, tab = new_tab(browser, javascript=True)
    try:
        for number in range(6):
            tab.goto(f"{live_server.url}/news/world/summit-accord/#comment-form")
            tab.get_by_role("textbox", name="Name", exact=True).fill("Ada Reader")
            tab.get_by_role("textbox", name="Comment", exact=True).fill(
                f"My comment number {number}."
            )
            tab.get_by_role("button", name="Post comment").click()
            tab.wait_for_load_state()

        assert tab.get_by_role("heading", level=1).inner_text() == "Please wait a few minutes"
        assert tab.get_by_text("Too many comments; please wait a few minutes.").is_visible()
        assert (
            tab.get_by_role("textbox", name="Comment", exact=True).input_value()
            == "My comment number 5."
        )
        assert tab.get_by_role("navigation", name="Sections").count() == 1  # the site's page
    finally:
        context.close()


PAGES = {
    "home": "/",
    "section": "/news/world/",
    "story": "/news/world/summit-accord/",
    "search": "/search/?q=harbour",
    "author": "/staff/ada-byline/",
}


@pytest.mark.parametrize(
    ("viewport", "scheme"),
    [(PHONE, "light"), (LAPTOP, "light"), (PHONE, "dark")],
    ids=["phone", "laptop", "phone-dark"],
)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_type_is_axe_clean(live_server, browser, newsroom, axe, name, viewport, scheme):
    context, tab = new_tab(browser, javascript=True, viewport=viewport, color_scheme=scheme)
    try:
        response = tab.goto(f"{live_server.url}{PAGES[name]}")
        assert response.status == 200
        assert_no_axe_violations(axe, tab)
    finally:
        context.close()


def test_dark_mode_darkens_the_paper(live_server, browser, newsroom):
    context, tab = new_tab(browser, javascript=False, color_scheme="dark")
    try:
        tab.goto(f"{live_server.url}/news/world/summit-accord/")
        background = tab.evaluate("getComputedStyle(document.documentElement).backgroundColor")
        assert background == "rgb(18, 20, 23)"
    finally:
        context.close()


def test_a_printed_story_is_the_story(live_server, browser, newsroom):
    context, tab = new_tab(browser, javascript=False, viewport=LAPTOP)
    try:
        tab.goto(f"{live_server.url}/news/world/summit-accord/")
        tab.emulate_media(media="print")
        assert tab.get_by_role("heading", level=1).is_visible()
        assert tab.locator(".byline__names").is_visible()
        for hidden in (".site-nav", ".search-form", ".share", ".comments", ".breadcrumbs"):
            assert not tab.locator(hidden).first.is_visible(), hidden
    finally:
        context.close()


def test_favicon_answers(live_server, page):
    response = page.goto(f"{live_server.url}/favicon.ico")
    assert response.status == 200
    assert response.headers["content-type"] == "image/x-icon"
