"""The header's sections (from the page tree, in tree order, editable), the current section,
breadcrumbs on stories, and the cached lookup behind them."""

import json
import re

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page, PageViewRestriction

import pytest

from news import navigation
from news.caching import path_key
from news.factories import ArticlePageFactory, NewsIndexPageFactory
from tests.performance.test_purge import eventually

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="site-nav" aria-label="Sections">(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)"(?: aria-current="(\w+)")?>([^<]+)</a>')


def header(client, path: str) -> list[tuple[str, str, str]]:
    """(title, href, aria-current) of each header link, in order, as rendered now: the page
    cache is emptied first (its purge on a menu change is tested with a worker, below)."""
    cache.delete_pattern("page:*")
    response = client.get(path)
    assert response.status_code == 200, path
    [nav] = NAV.findall(response.content.decode())
    return [(title, href, current) for href, current, title in LINK.findall(nav)]


@pytest.fixture
def sections(site_tree):
    news = site_tree["news"]
    world = NewsIndexPageFactory(parent=news, title="World", slug="world")
    politics = NewsIndexPageFactory(parent=news, title="Politics", slug="politics")
    return {"world": world, "politics": politics}


def titles(links) -> list[str]:
    return [title for title, _, _ in links]


def test_header_lists_the_sections_in_tree_order(client, site_tree, sections):
    assert header(client, "/") == [
        ("News", "/news/", ""),
        ("World", "/news/world/", ""),
        ("Politics", "/news/politics/", ""),
        ("Staff", "/staff/", ""),
    ]


def test_a_section_the_editor_left_out_of_menus_a_draft_or_a_private_one_is_not_listed(
    client, site_tree, sections
):
    sections["politics"].show_in_menus = False
    sections["politics"].save_revision().publish()
    NewsIndexPageFactory(parent=site_tree["news"], title="Drafts", slug="drafts", live=False)
    science = NewsIndexPageFactory(parent=site_tree["news"], title="Science", slug="science")
    PageViewRestriction.objects.create(
        page=science, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    assert titles(header(client, "/")) == ["News", "World", "Staff"]


def test_the_current_section_is_marked(client, site_tree, sections):
    story = ArticlePageFactory(parent=sections["world"], title="Summit ends", slug="summit")

    assert header(client, "/news/world/")[1] == ("World", "/news/world/", "page")
    on_story = header(client, story.url)
    assert [(title, current) for title, _, current in on_story] == [
        ("News", ""),
        ("World", "true"),
        ("Politics", ""),
        ("Staff", ""),
    ]
    assert [current for _, _, current in header(client, "/")] == ["", "", "", ""]
    assert header(client, "/staff/")[-1] == ("Staff", "/staff/", "page")


def test_reordering_sections_in_the_explorer_reorders_the_header(
    settings, admin_client, client, site_tree, sections
):
    settings.ADMIN_REQUIRE_2FA = False
    assert titles(header(client, "/")) == ["News", "World", "Politics", "Staff"]  # cached now

    # The explorer's drag-and-drop: Politics to the first place among News's children.
    response = admin_client.post(f"/admin/pages/{sections['politics'].pk}/set_position/?position=0")
    assert response.status_code == 200

    assert titles(header(client, "/")) == ["News", "Politics", "World", "Staff"]


def test_renaming_hiding_and_unpublishing_show_on_the_next_request(client, site_tree, sections):
    header(client, "/")  # cached

    world = Page.objects.get(pk=sections["world"].pk).specific
    world.title = "International"
    world.save_revision().publish()
    assert titles(header(client, "/"))[1] == "International"

    world.show_in_menus = False
    world.save_revision().publish()
    assert titles(header(client, "/")) == ["News", "Politics", "Staff"]

    sections["politics"].unpublish()
    assert titles(header(client, "/")) == ["News", "Staff"]


def test_the_header_costs_one_query_when_cold_and_none_when_cached(client, site_tree, sections):
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        navigation.menu_entries()
    with CaptureQueriesContext(connection) as warm:
        entries = navigation.menu_entries()

    assert len(cold) == 1
    assert len(warm) == 0
    assert [entry.title for entry in entries] == ["Masthead", "News", "World", "Politics", "Staff"]


def test_publishing_a_story_keeps_the_cached_menu(client, site_tree, sections):
    """Stories are published all day; only a change to a menu page drops the lookup."""
    header(client, "/")
    cached = cache.get(navigation.CACHE_KEY)

    story = ArticlePageFactory(parent=site_tree["news"], title="Quiet day", slug="quiet")
    story.save_revision().publish()

    assert cached is not None
    assert cache.get(navigation.CACHE_KEY) == cached


def test_a_new_section_appears_in_the_header_by_default(client, site_tree, sections):
    header(client, "/")
    NewsIndexPageFactory(parent=site_tree["news"], title="Culture", slug="culture")

    assert titles(header(client, "/")) == ["News", "World", "Politics", "Culture", "Staff"]


def test_a_story_shows_its_breadcrumbs_and_their_structured_data(client, site_tree, sections):
    story = ArticlePageFactory(parent=sections["world"], title="Summit ends", slug="summit")

    html = client.get(story.url).content.decode()

    start = html.index('<nav class="breadcrumbs')
    trail = html[start : html.index("</nav>", start)]
    assert LINK.findall(trail) == [
        ("/", "", "Home"),
        ("/news/", "", "News"),
        ("/news/world/", "", "World"),
        ("/news/world/summit/", "page", "Summit ends"),
    ]
    [data] = [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]
    breadcrumb = data["mainEntityOfPage"]["breadcrumb"]
    assert breadcrumb["@type"] == "BreadcrumbList"
    assert [
        (item["position"], item["name"], item["item"]) for item in breadcrumb["itemListElement"]
    ] == [
        (1, "Home", "http://localhost/"),
        (2, "News", "http://localhost/news/"),
        (3, "World", "http://localhost/news/world/"),
        (4, "Summit ends", "http://localhost/news/world/summit/"),
    ]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_menu_change_purges_every_cached_page_and_nothing_else_does(
    client, site_tree, celery_worker_instance
):
    world = NewsIndexPageFactory(parent=site_tree["news"], title="World", slug="world")
    story = ArticlePageFactory(parent=world, title="Summit ends", slug="summit")
    paths = ["/", "/news/", "/staff/", story.url]

    def cached(path: str) -> bool:
        return cache.get(path_key(path)) is not None

    for path in paths:
        client.get(path)
    assert all(cached(path) for path in paths)

    # A draft saved on a section changes no header: nothing is purged.
    world.title = "International (draft)"
    world.save_revision()
    assert all(cached(path) for path in paths)

    world.title = "International"
    world.save_revision().publish()

    assert eventually(lambda: not any(cached(path) for path in paths))
    for path in paths:
        assert '<a href="/news/world/"' in client.get(path).text
        assert ">International</a>" in client.get(path).text
