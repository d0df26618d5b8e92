"""The home front as readers see it on a 390 px phone and a desktop: the breaking banner, the
lead with the stories beside it, live coverage, section blocks and most read, all accessible."""

from datetime import timedelta

from django.utils import timezone

import pytest

from live.factories import LiveEntryFactory, LivePageFactory, entry_text
from news.factories import ArticlePageFactory, NewsImageFactory, NewsIndexPageFactory
from news.models import BreakingNews
from readership.models import ArticleDailyViews
from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def newsroom_front(site_tree):
    news = site_tree["news"]
    image = NewsImageFactory()
    stories = []
    for offset, name in enumerate(("World", "Politics", "Culture")):
        section = NewsIndexPageFactory(parent=news, title=name)
        for n in range(4):
            stories.append(
                ArticlePageFactory(
                    parent=section,
                    title=f"{name} headline {n}",
                    lead_image=image,
                    first_published_at=timezone.now() - timedelta(hours=3 * n + offset),
                )
            )
    coverage = LivePageFactory(parent=news, title="Storm Amy: live", slug="storm-amy")
    coverage.save_revision().publish()
    LiveEntryFactory(page=coverage, key_event=True, body=entry_text("Ferries cancelled."))
    BreakingNews.objects.create(headline="Harbour closed by the storm", link=coverage)
    for views, story in enumerate(stories[:6], start=1):
        ArticleDailyViews.objects.create(article=story, day=timezone.localdate(), views=views * 100)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_home_front_shows_banner_lead_live_sections_and_most_read(
    live_server, browser, newsroom_front, axe, viewport
):
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    page.goto(f"{live_server.url}/")

    banner = page.get_by_role("complementary", name="Breaking news")
    assert banner.get_by_role("link", name="Harbour closed by the storm").is_visible()
    lead = page.locator("#lead-heading")
    assert lead.inner_text() == "World headline 0"
    assert page.locator(".front-lead__beside .card__title").count() == 3
    live = page.locator(".front-live")
    assert live.get_by_role("link", name="Storm Amy: live").is_visible()
    assert "Ferries cancelled." in live.inner_text()
    blocks = page.locator(".front-section__title")
    assert blocks.all_inner_texts() == ["World", "Politics", "Culture"]
    assert page.get_by_role("link", name="More from Politics").is_visible()
    most_read = page.locator(".most-read")
    assert most_read.get_by_role("heading", name="Most read").is_visible()
    assert most_read.locator("li").count() == 5
    # Nothing overflows the phone's width; on a desktop the stories beside the lead sit in a row.
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    beside = page.locator(".front-lead__beside > li")
    tops = {round(beside.nth(n).bounding_box()["y"]) for n in range(3)}
    assert len(tops) == (1 if viewport == "desktop" else 3)
    assert_no_axe_violations(axe, page)

    page.get_by_role("link", name="More from Politics").click()
    page.wait_for_url("**/news/politics/")
    assert page.locator("#lead-heading").inner_text() == "Politics headline 0"
    assert_no_axe_violations(axe, page)
    context.close()
