"""Fronts: the home page and section pages editors arrange, filled automatically, never showing
what readers may not see, in a fixed number of queries, purged exactly when what they show
changes."""

import re
import uuid
from datetime import timedelta

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from live.factories import LiveEntryFactory, LivePageFactory, entry_text
from live.models import LivePage
from news.factories import ArticlePageFactory, NewsImageFactory, NewsIndexPageFactory
from news.models import ArticlePage, BreakingNews, HomePage, NewsIndexPage
from readership.models import ArticleDailyViews

pytestmark = pytest.mark.django_db


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def story(section, title: str, *, hours_ago: float = 0, **fields) -> ArticlePage:
    return ArticlePageFactory(
        parent=section,
        title=title,
        slug=re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        first_published_at=timezone.now() - timedelta(hours=hours_ago),
        **fields,
    )


def slots(*blocks) -> list[dict]:
    return [{"type": kind, "value": value, "id": str(uuid.uuid4())} for kind, value in blocks]


def arrange(front_page, *blocks):
    front_page.front = slots(*blocks)
    return publish(front_page)


def html_of(client, url: str) -> str:
    response = client.get(f"{url}{'&' if '?' in url else '?'}uncached={uuid.uuid4().hex}")
    assert response.status_code == 200
    return response.content.decode()


def lead_of(html: str) -> str:
    return re.search(r'id="lead-heading" class="lead__title"><a [^>]+>([^<]+)</a>', html)[1]


def block_titles(html: str, heading: str) -> list[str]:
    """The story headlines of the section block headed `heading`, in order."""
    part = re.search(
        rf'<h2 class="front-section__title" id="[^"]+"><a href="[^"]+">{heading}</a></h2>(.*?)</section>',
        html,
        re.S,
    )
    assert part, f"no block {heading!r}"
    return re.findall(r'class="card__title"><a href="[^"]*">([^<]+)</a>', part[1])


def river(html: str) -> list[str]:
    part = html.split('id="latest-heading"')[1].split("</section>")[0]
    return re.findall(r'class="card__title"><a href="[^"]*">([^<]+)</a>', part)


@pytest.fixture
def desk(site_tree):
    """World, Politics and Culture under "All news", six stories each, published in turn
    (World's first story is the newest, then Politics', Culture's, World's second...)."""
    news = site_tree["news"]
    sections = {
        name: NewsIndexPageFactory(parent=news, title=name)
        for name in ("World", "Politics", "Culture")
    }
    for offset, name in enumerate(["World", "Politics", "Culture"]):
        for n in range(6):
            story(sections[name], f"{name} story {n}", hours_ago=3 * n + offset)
    return {**site_tree, **sections}


# --- The automatic front --------------------------------------------------------------------


def test_an_unarranged_home_front_leads_with_the_newest_and_has_a_block_per_section(client, desk):
    html = html_of(client, "/")

    assert lead_of(html) == "World story 0"
    beside = html.split('aria-label="More top stories"')[1].split("</ul>")[0]
    assert re.findall(r'card__title"><a href="[^"]*">([^<]+)<', beside) == [
        "Politics story 0",
        "Culture story 0",
        "World story 1",
    ]
    # Each block skips what the slots above show.
    assert block_titles(html, "World") == [f"World story {n}" for n in range(2, 6)]
    assert block_titles(html, "Politics") == [f"Politics story {n}" for n in range(1, 5)]
    assert block_titles(html, "Culture") == [f"Culture story {n}" for n in range(1, 5)]
    assert '<a href="/news/politics/">More from Politics</a>' in html
    # The latest river skips only the lead slot's stories.
    assert river(html)[:3] == ["Politics story 1", "Culture story 1", "World story 2"]


def test_most_read_lists_the_most_viewed_published_stories(client, desk):
    today = timezone.localdate()
    popular = ArticlePage.objects.get(title="Culture story 3")
    gone = ArticlePage.objects.get(title="Politics story 2")
    ArticleDailyViews.objects.create(article=popular, day=today, views=120)
    ArticleDailyViews.objects.create(article=gone, day=today, views=500)
    gone.unpublish()

    html = html_of(client, "/")

    most_read = html.split('id="most-read-heading"')[1].split("</section>")[0]
    assert 'Culture story 3</a> <span class="most-read__views">120 views' in most_read
    assert "Politics story 2" not in html


def test_an_empty_newsroom_still_renders_a_front(client, site_tree):
    html = html_of(client, "/")

    assert "No stories yet." in html
    assert 'id="lead-heading"' not in html


# --- What editors arrange -------------------------------------------------------------------


def test_the_editors_lead_and_pins_lead_and_empty_places_fill_with_the_newest(client, desk):
    chosen = ArticlePage.objects.get(title="Culture story 3")
    pinned = ArticlePage.objects.get(title="Politics story 2")
    arrange(
        desk["home"].specific,
        ("lead", {"story": chosen.pk, "beside": []}),
        ("section", {"section": desk["Politics"].pk, "title": "", "stories": [pinned.pk]}),
        ("latest", {"title": "Latest", "count": 6}),
    )

    html = html_of(client, "/")

    assert lead_of(html) == "Culture story 3"
    assert block_titles(html, "Politics") == [  # story 0 is beside the lead
        "Politics story 2",
        "Politics story 1",
        "Politics story 3",
        "Politics story 4",
    ]
    assert "More from World" not in html  # the editors arranged no World block
    assert html.count(">Culture story 3<") == 1  # the river skips the lead slot's stories
    assert 'id="most-read-heading"' not in html


@pytest.mark.parametrize("fate", ["unpublished", "expired", "embargoed", "private"])
def test_a_pick_readers_may_not_see_gives_way_to_the_newest(client, desk, fate):
    hidden = story(desk["Culture"], "The hidden pick", hours_ago=100)
    if fate == "unpublished":
        hidden.unpublish()
    elif fate == "expired":
        ArticlePage.objects.filter(pk=hidden.pk).update(
            expire_at=timezone.now() - timedelta(minutes=1)
        )
    elif fate == "embargoed":
        hidden.unpublish()
        ArticlePage.objects.filter(pk=hidden.pk).update(
            go_live_at=timezone.now() + timedelta(hours=2)
        )
    else:
        secret = NewsIndexPageFactory(parent=desk["news"], title="Secret")
        hidden.move(secret, pos="last-child")
        PageViewRestriction.objects.create(
            page=secret, restriction_type="password", password="x" * 12
        )
    arrange(
        desk["home"].specific,
        ("lead", {"story": hidden.pk, "beside": []}),
        ("section", {"section": desk["Culture"].pk, "title": "Arts", "stories": [hidden.pk]}),
    )

    html = html_of(client, "/")

    assert lead_of(html) == "World story 0"
    assert block_titles(html, "Arts")[0] == "Culture story 1"  # 0 is beside the lead
    assert "The hidden pick" not in html


def test_a_section_front_tops_its_first_page_only(client, desk):
    world = desk["World"]
    for n in range(12):
        story(world, f"World extra {n}", hours_ago=100 + n)
    today = timezone.localdate()
    ArticleDailyViews.objects.create(
        article=ArticlePage.objects.get(title="World extra 5"), day=today, views=40
    )
    ArticleDailyViews.objects.create(
        article=ArticlePage.objects.get(title="Culture story 0"), day=today, views=90
    )

    first = html_of(client, "/news/world/")
    second = html_of(client, "/news/world/?page=2")

    assert lead_of(first) == "World story 0"
    beside = first.split('aria-label="More top stories"')[1].split("</ul>")[0]
    assert re.findall(r'card__title"><a href="[^"]*">([^<]+)<', beside) == [
        "World story 1",
        "World story 2",
        "World story 3",
    ]
    most_read = first.split('id="most-read-heading"')[1].split("</section>")[0]
    assert "Most read in World" in first
    assert "World extra 5" in most_read
    assert "Culture story 0" not in most_read  # most read in this section only
    assert 'id="listing-heading"' in first
    assert 'id="lead-heading"' not in second


def test_the_all_news_front_has_a_block_per_section_below_it(client, desk):
    html = html_of(client, "/news/")

    assert lead_of(html) == "World story 0"
    assert block_titles(html, "Politics")[0] == "Politics story 1"
    assert block_titles(html, "Culture")[0] == "Culture story 1"


def test_a_section_front_arranged_by_its_editors(client, desk):
    culture = desk["Culture"].specific
    pick = ArticlePage.objects.get(title="Culture story 2")
    arrange(culture, ("lead", {"story": pick.pk, "beside": []}))

    html = html_of(client, "/news/culture/")

    assert lead_of(html) == "Culture story 2"
    assert 'id="most-read-heading"' not in html  # not among the editors' slots


# --- Live coverage and the banner -----------------------------------------------------------


def test_running_live_coverage_shows_with_its_latest_key_events(client, desk):
    coverage = publish(
        LivePageFactory(parent=desk["World"], title="Storm Amy: live", slug="storm-amy")
    )
    for n in range(5):
        LiveEntryFactory(
            page=coverage,
            key_event=n != 2,
            body=entry_text(f"Event number {n}"),
            published_at=timezone.now() - timedelta(minutes=10 - n),
        )
    ended = publish(LivePageFactory(parent=desk["Politics"], title="Count: live", slug="count"))
    LivePage.objects.filter(pk=ended.pk).update(status=LivePage.Status.ENDED)

    home = html_of(client, "/")
    culture = html_of(client, "/news/culture/")

    box = home.split('id="front-live-heading"')[1].split("</section>")[0]
    assert 'href="/news/world/storm-amy/">Storm Amy: live</a>' in box
    assert re.findall(r"Event number (\d)", box) == ["4", "3", "1"]
    assert "Count: live" not in home
    assert 'id="front-live-heading"' not in culture  # none running below Culture


def test_the_breaking_banner_shows_while_switched_on_and_until_it_expires(client, desk):
    banner = BreakingNews.objects.create(
        headline="Harbour closed",
        link=desk["World"],
        ends_at=timezone.now() + timedelta(seconds=90),
    )

    response = client.get("/", {"uncached": 1})
    assert '<a href="/news/world/">Harbour closed</a>' in response.content.decode()
    assert 1 <= int(re.search(r"s-maxage=(\d+)", response["Cache-Control"])[1]) <= 90

    banner.is_on = False
    banner.save()
    assert "Harbour closed" not in html_of(client, "/")

    banner.is_on, banner.ends_at = True, timezone.now() - timedelta(seconds=1)
    banner.save()
    assert "Harbour closed" not in html_of(client, "/")

    banner.ends_at = None  # no expiry: up until an editor switches it off
    banner.save()
    assert "Harbour closed" in html_of(client, "/")
    assert "Harbour closed" not in html_of(client, "/news/world/")


# --- Query budgets --------------------------------------------------------------------------


def cold_queries(client, url: str) -> int:
    client.get(url, {"uncached": "warm"})  # renditions exist, as in production
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"uncached": "measured"})
    assert response.status_code == 200
    return len(queries)


def add_sections(news, count: int, *, start: int, stories: int) -> None:
    for n in range(start, start + count):
        section = NewsIndexPageFactory(parent=news, title=f"Desk {n}", slug=f"desk-{n}")
        for m in range(stories):
            story(section, f"Desk {n} story {m}", hours_ago=n + m / 10, with_image=True)


@pytest.mark.parametrize("url", ["/", "/news/", "/news/desk-0/"])
def test_a_front_costs_the_same_queries_for_3_and_30_sections_and_stories(client, site_tree, url):
    news = site_tree["news"]
    add_sections(news, 3, start=0, stories=1)
    coverage = publish(LivePageFactory(parent=news, title="Live", slug="live"))
    LiveEntryFactory(page=coverage, key_event=True)
    BreakingNews.objects.create(headline="Breaking", link=news)
    few = cold_queries(client, url)

    add_sections(news, 27, start=3, stories=1)
    for n in range(29):
        story(NewsIndexPage.objects.get(slug="desk-0"), f"More {n}", with_image=True)
    ArticleDailyViews.objects.bulk_create(
        ArticleDailyViews(article=article, day=timezone.localdate(), views=n + 1)
        for n, article in enumerate(ArticlePage.objects.all())
    )
    many = cold_queries(client, url)

    assert many == few


def test_editors_picks_cost_no_extra_query(client, desk):
    image = NewsImageFactory()
    ArticlePage.objects.filter(title="World story 0").update(lead_image=image)
    automatic = cold_queries(client, "/")
    picks = [story(desk["Culture"], f"Pick {n}", hours_ago=50, lead_image=image) for n in range(4)]
    arrange(
        desk["home"].specific,
        ("lead", {"story": picks[0].pk, "beside": [picks[1].pk]}),
        ("live_coverage", {"title": "Live"}),
        *(
            ("section", {"section": desk[name].pk, "title": "", "stories": [picks[2].pk]})
            for name in ("World", "Politics", "Culture")
        ),
        ("most_read", {"title": "Most read", "days": "1"}),
        ("latest", {"title": "Latest", "count": 12}),
    )

    assert cold_queries(client, "/") == automatic
    assert HomePage.objects.get().front.raw_data[0]["value"]["story"] == picks[0].pk


# --- Purging exactly what shows a change ----------------------------------------------------


def is_cached(client, url: str) -> bool:
    return client.get(url)["X-Cache"] == "HIT"


def warm(client, *urls: str) -> None:
    for url in urls:
        client.get(url)
        assert is_cached(client, url), url


def test_publishing_a_story_purges_the_fronts_above_it_and_no_other(
    client, desk, django_capture_on_commit_callbacks
):
    warm(client, "/", "/news/", "/news/world/", "/news/culture/", "/news/politics/")

    draft = story(desk["World"], "Ceasefire agreed", draft=True)

    with django_capture_on_commit_callbacks(execute=True):
        publish(draft)

    for url in ("/", "/news/", "/news/world/"):
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "Ceasefire agreed" in response.content.decode(), url
    assert is_cached(client, "/news/culture/")
    assert is_cached(client, "/news/politics/")


def test_a_story_picked_on_another_sections_front_purges_that_front_when_it_goes(
    client, desk, django_capture_on_commit_callbacks
):
    picked = ArticlePage.objects.get(title="World story 4")
    arrange(desk["Culture"].specific, ("lead", {"story": picked.pk, "beside": []}))
    warm(client, "/news/culture/", "/news/politics/")
    assert lead_of(client.get("/news/culture/").content.decode()) == "World story 4"

    with django_capture_on_commit_callbacks(execute=True):
        picked.unpublish()

    response = client.get("/news/culture/")
    assert response["X-Cache"] == "MISS"
    assert lead_of(response.content.decode()) == "Culture story 0"
    assert is_cached(client, "/news/politics/")


def test_a_front_edit_purges_that_front_and_leaves_the_other_sections_cached(
    client, desk, django_capture_on_commit_callbacks
):
    warm(client, "/news/culture/", "/news/world/", "/news/politics/")
    pick = ArticlePage.objects.get(title="Culture story 5")

    with django_capture_on_commit_callbacks(execute=True):
        arrange(desk["Culture"].specific, ("lead", {"story": pick.pk, "beside": []}))

    response = client.get("/news/culture/")
    assert response["X-Cache"] == "MISS"
    assert lead_of(response.content.decode()) == "Culture story 5"
    assert is_cached(client, "/news/world/")
    assert is_cached(client, "/news/politics/")


def test_marking_a_key_event_purges_the_fronts_showing_the_coverage(
    client, desk, django_user_model, django_capture_on_commit_callbacks
):
    from live import coverage as desk_actions

    editor = django_user_model.objects.create_superuser("chief", "chief@example.com", "x" * 16)
    page = publish(LivePageFactory(parent=desk["World"], title="Storm: live", slug="storm"))
    entry = LiveEntryFactory(page=page, body=entry_text("The bridge is closed."))
    warm(client, "/", "/news/world/", "/news/culture/")
    assert "The bridge is closed." not in client.get("/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        desk_actions.mark_entry(entry, user=editor, key_event=True)

    for url in ("/", "/news/world/"):
        response = client.get(url)
        assert response["X-Cache"] == "MISS", url
        assert "The bridge is closed." in response.content.decode(), url
    assert is_cached(client, "/news/culture/")
