"""Articles are routed through sections kept in the cache (news.sections); a change to a
section shows on the very next request."""

import pytest

from news.factories import ArticlePageFactory, NewsIndexPageFactory

pytestmark = pytest.mark.django_db

# The page cache would answer a repeat request before routing; a parameter it does not know
# makes every request route and render (as bench/pages.py does).
UNCACHED = {"routing": "1"}


@pytest.fixture
def culture(site_tree):
    section = NewsIndexPageFactory(parent=site_tree["news"], title="Culture", slug="culture")
    ArticlePageFactory(parent=section, title="Gallery reopens", slug="gallery-reopens")
    return section


def status(client, url: str) -> int:
    return client.get(url, UNCACHED).status_code


def test_an_article_in_a_section_is_served_and_a_missing_section_is_a_404(client, culture):
    assert status(client, "/news/culture/gallery-reopens/") == 200
    assert status(client, "/news/culture/") == 200
    assert status(client, "/news/sport/gallery-reopens/") == 404


def test_an_unpublished_section_stops_routing_at_once(client, culture):
    assert status(client, "/news/culture/") == 200  # the cached sections now include it

    culture.unpublish()

    assert status(client, "/news/culture/") == 404


def test_a_renamed_section_routes_under_its_new_slug_only(client, culture):
    assert status(client, "/news/culture/gallery-reopens/") == 200

    culture.slug = "arts"
    culture.save_revision().publish()

    assert status(client, "/news/arts/gallery-reopens/") == 200
    assert status(client, "/news/culture/gallery-reopens/") == 404


def test_a_moved_section_routes_from_its_new_place(client, culture, site_tree):
    assert status(client, "/news/culture/gallery-reopens/") == 200

    culture.move(site_tree["home"], pos="last-child")

    assert status(client, "/culture/gallery-reopens/") == 200
    # The old address is no longer routed; Wagtail's redirect, made on the move, answers it.
    old = client.get("/news/culture/gallery-reopens/", UNCACHED)
    assert old.status_code == 301
    assert old["Location"].startswith("/culture/gallery-reopens/")


def test_a_new_section_is_reachable_on_the_next_request(client, culture, site_tree):
    assert status(client, "/news/culture/") == 200

    science = NewsIndexPageFactory(parent=site_tree["news"], title="Science", slug="science")
    ArticlePageFactory(parent=science, title="Comet seen", slug="comet-seen")

    assert status(client, "/news/science/comet-seen/") == 200
