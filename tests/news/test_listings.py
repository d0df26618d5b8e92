"""News index, tag and author archives: pagination, filters, hostile input, flat query counts."""

import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest
import redis

from news.factories import (
    ArticlePageFactory,
    NewsImageFactory,
    StaffProfilePageFactory,
    make_image_file,
)
from news.listing_counts import ListingPaginator
from news.models.pages import ARTICLES_PER_PAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(site_tree, reporter):
    other = StaffProfilePageFactory(parent=site_tree["staff"], title="Cy Dee", slug="cy-dee")
    for n in range(ARTICLES_PER_PAGE + 3):
        ArticlePageFactory(
            parent=site_tree["news"],
            title=f"Archive story {n:02d}",
            slug=f"archive-{n}",
            tags=["council", "roads"] if n % 2 else ["council"],
            authors=[reporter, other] if n % 3 == 0 else [reporter],
        )


@pytest.fixture
def one_story(site_tree, reporter):
    return ArticlePageFactory(
        parent=site_tree["news"], slug="only", tags=["roads"], authors=[reporter]
    )


def titles(response) -> list[str]:
    """The listing's card titles (below the section's front, when the page shows one)."""
    html = response.content.decode()
    listing = html.split('id="listing-heading"')[-1]
    return re.findall(r'class="card__title"><a href="[^"]*">([^<]+)</a>', listing)


def test_index_paginates_newest_first(client, archive):
    first = client.get("/news/")
    second = client.get("/news/?page=2")

    assert titles(first) == [f"Archive story {n:02d}" for n in range(14, 2, -1)]
    assert titles(second) == ["Archive story 02", "Archive story 01", "Archive story 00"]
    assert '<a rel="next" href="?page=2">Older stories</a>' in first.content.decode()
    assert '<a rel="prev" href="?page=1">Newer stories</a>' in second.content.decode()


def test_index_filters_by_tag_and_author_and_keeps_them_across_pages(client, archive):
    by_tag = client.get("/news/?tag=roads")
    assert titles(by_tag) == [f"Archive story {n:02d}" for n in (13, 11, 9, 7, 5, 3, 1)]

    by_author = client.get("/news/?author=cy-dee")
    assert titles(by_author) == [f"Archive story {n:02d}" for n in (12, 9, 6, 3, 0)]

    both = client.get("/news/?tag=roads&author=cy-dee")
    assert titles(both) == ["Archive story 09", "Archive story 03"]
    assert "Showing stories tagged" in both.content.decode()

    paged = client.get("/news/?tag=council&author=ada-byline").content.decode()
    assert '<a rel="next" href="?tag=council&amp;author=ada-byline&amp;page=2">' in paged


def test_tag_route_lists_that_tag(client, archive):
    response = client.get("/news/tag/roads/")
    assert response.status_code == 200
    assert titles(response) == [f"Archive story {n:02d}" for n in (13, 11, 9, 7, 5, 3, 1)]
    assert "<h1>Stories tagged “roads”</h1>" in response.content.decode()


def test_author_archive_paginates(client, archive):
    first = client.get("/staff/ada-byline/")
    second = client.get("/staff/ada-byline/?page=2")
    assert len(first.content.decode().split('class="card__title"')) - 1 == ARTICLES_PER_PAGE
    assert len(second.content.decode().split('class="card__title"')) - 1 == 3
    assert client.get("/staff/ada-byline/?page=3").status_code == 404


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("?page=0", 404),
        ("?page=-1", 404),
        ("?page=abc", 404),
        ("?page=1000000000", 404),
        ("?page=%C2%B2", 404),  # a superscript two is a digit to str.isdigit, not to int()
        ("?page=99", 404),
        ("?page=1%00", 404),
        ("?tag=no-such-tag", 404),
        ("?author=nobody", 404),
        ("?author=news", 404),  # a page, but not a staff profile
        ("?tag=%00", 400),
        ("?tag=%27%20OR%201%3D1%20--", 400),
        ("?author=%3Cscript%3E", 400),
        ("?tag=" + "x" * 101, 400),
    ],
)
def test_hostile_listing_input_is_a_clear_4xx(client, one_story, query, status):
    assert client.get(f"/news/{query}").status_code == status


@pytest.mark.parametrize(
    "url", ["/news/tag/%00/", "/news/tag/no-such-tag/", "/news/%ff/", "/news/tag/roads/?page=x"]
)
def test_hostile_paths_are_404(client, one_story, url):
    assert client.get(url).status_code == 404


def small_image(seed: int):
    picture = make_image_file(width=480, height=270, seed=seed)
    return NewsImageFactory(file=ContentFile(picture, name=f"small-{seed}.jpg"))


def flush_cache():
    redis.Redis.from_url(settings.CACHE_REDIS_URL).flushdb()


def count_queries(client, url) -> int:
    flush_cache()  # the page cache would answer the warm-up from an older state of the site
    client.get(url)  # make renditions, as a first visitor would
    flush_cache()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url", ["/", "/news/", "/news/tag/roads/", "/news/?author=ada-byline", "/staff/ada-byline/"]
)
def test_listing_query_count_does_not_grow_with_the_number_of_stories(
    client, site_tree, reporter, url
):
    def add_stories(count, start):
        for n in range(start, start + count):
            ArticlePageFactory(
                parent=site_tree["news"],
                slug=f"q-{n}",
                tags=["roads"],
                authors=[
                    reporter,
                    StaffProfilePageFactory(parent=site_tree["staff"], slug=f"co-{n}"),
                ],
                lead_image=small_image(n),
            )

    add_stories(2, 0)
    few = count_queries(client, url)
    add_stories(10, 2)
    many = count_queries(client, url)
    assert many == few


def test_bad_request_page_is_in_the_sites_style(client, one_story):
    response = client.get("/news/?tag=%3Cscript%3E")
    assert response.status_code == 400
    html = response.content.decode()
    assert "<h1>Bad request</h1>" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert "<script" not in html


def test_cards_name_every_author_in_byline_order(client, site_tree, reporter):
    second = StaffProfilePageFactory(parent=site_tree["staff"], title="Cy Dee", slug="cy-dee")
    ArticlePageFactory(parent=site_tree["news"], title="Two bylines", authors=[second, reporter])
    ArticlePageFactory(parent=site_tree["news"], title="No byline", authors=[])

    html = client.get("/news/").content.decode()

    two, none = html.split("Two bylines")[1], html.split("No byline")[1]
    assert f"· Cy Dee, {reporter.title}\n" in two.split("</article>")[0]
    assert " · " not in none.split("</article>")[0]


def subplan_loops(plan: dict) -> list[int]:
    loops = [plan["Actual Loops"]] if plan.get("Subplan Name") else []
    for child in plan.get("Plans", []):
        loops += subplan_loops(child)
    return loops


def test_a_later_page_reads_author_names_only_for_its_own_rows(archive, site_tree):
    """PostgreSQL computes every column of the rows an OFFSET skips: a deep page would look up
    the author names of every story before it."""
    page = ListingPaginator(site_tree["news"].specific.articles, 4, listing="test").page(3)
    sql, params = page.object_list.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]["Plan"]

    assert [a.title for a in page] == [f"Archive story {n:02d}" for n in range(6, 2, -1)]
    assert subplan_loops(plan)
    assert max(subplan_loops(plan)) <= 4


@pytest.mark.parametrize(
    "url", ["/", "/news/", "/news/?page=2", "/news/tag/council/", "/staff/ada-byline/"]
)
def test_listings_show_every_card_without_loading_story_bodies(client, archive, url):
    """A card shows a headline, dek, date and image: the story's body (the widest column)
    stays in the database."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response.status_code == 200
    assert response.text.count('class="card"') >= 3
    assert not [q["sql"] for q in queries if '"news_articlepage"."body"' in q["sql"]]


def test_a_tag_only_drafts_carry_is_as_unknown_as_a_tag_nobody_uses(client, site_tree):
    from news.factories import ArticlePageFactory

    ArticlePageFactory(parent=site_tree["news"], draft=True, tags=["merger-talks"])
    ArticlePageFactory(parent=site_tree["news"], tags=["harbour"])
    for url in (
        "/news/tag/merger-talks/",
        "/news/tag/merger-talks/feed/",
        "/news/tag/merger-talks/feed/atom/",
        "/news/?tag=merger-talks",
    ):
        assert client.get(url).status_code == 404, url
        assert client.get(url.replace("merger-talks", "no-such-tag")).status_code == 404
    assert client.get("/news/tag/harbour/").status_code == 200
