"""Listings keep their "page N of M" total in the cache, and show the new total right after a
publish or an unpublish (the purge of the page itself is the Celery task's job, done here by
hand, exactly as the task does it)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from news.factories import ArticlePageFactory, StaffProfilePageFactory
from news.models.pages import ARTICLES_PER_PAGE
from news.purging import delete_cached_paths

pytestmark = pytest.mark.django_db

LISTINGS = ["/news/", "/news/tag/council/", "/staff/ada-byline/"]


@pytest.fixture
def two_pages_of_stories(site_tree):
    reporter = StaffProfilePageFactory(parent=site_tree["staff"], title="Ada", slug="ada-byline")
    for number in range(ARTICLES_PER_PAGE * 2):
        ArticlePageFactory(
            parent=site_tree["news"],
            title=f"Story {number}",
            tags=["council"],
            authors=[reporter],
        )
    return {"news": site_tree["news"], "reporter": reporter}


def render(client, path: str) -> str:
    """The listing as the next reader gets it once its cached copy has been purged."""
    delete_cached_paths([path])
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_a_listing_counts_its_stories_once_until_something_is_published(
    client, two_pages_of_stories
):
    assert "Page 1 of 2" in render(client, "/news/")

    with CaptureQueriesContext(connection) as queries:
        html = render(client, "/news/")

    assert "Page 1 of 2" in html
    assert not [q for q in queries if "COUNT(*)" in q["sql"]]


def test_listings_show_the_new_total_right_after_a_publish_and_an_unpublish(
    client, two_pages_of_stories, django_capture_on_commit_callbacks
):
    for path in LISTINGS:
        assert "Page 1 of 2" in render(client, path)
    story = ArticlePageFactory(
        parent=two_pages_of_stories["news"],
        title="Late story",
        tags=["council"],
        authors=[two_pages_of_stories["reporter"]],
        draft=True,
    )
    for path in LISTINGS:  # a draft changes nothing
        assert "Page 1 of 2" in render(client, path)

    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    for path in LISTINGS:
        assert "Page 1 of 3" in render(client, path)
        assert client.get(f"{path}?page=3").status_code == 200

    story.refresh_from_db()  # live since the publish
    with django_capture_on_commit_callbacks(execute=True):
        story.unpublish()

    for path in LISTINGS:
        assert "Page 1 of 2" in render(client, path)
        assert client.get(f"{path}?page=3").status_code == 404
