"""View restrictions read from the shared cache: once per request, never stale across requests."""

from unittest import mock

from django.core.cache import cache

from wagtail.models import PageViewRestriction

import pytest

from news import caching, view_restrictions
from news.factories import ArticlePageFactory
from news.models import ArticlePage

pytestmark = pytest.mark.django_db


def restrict_from_another_process(page) -> None:
    """What a save in another server process leaves behind: the row, and a new generation of
    the cached list in Redis (this process's signal receivers never run)."""
    PageViewRestriction.objects.bulk_create(
        [
            PageViewRestriction(
                page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
            )
        ]
    )
    caching.start_generation(view_restrictions.GENERATION_KEY)


def test_an_article_render_reads_the_restriction_list_once(client, site_tree, redis_client):
    """Wagtail's check on the page, the "All news" link and "Continue reading" all ask; the
    first answer serves the rest of the request."""
    story = ArticlePageFactory(parent=site_tree["news"], title="Harbour bridge reopens")
    client.get(story.url)  # fills the cache

    with mock.patch.object(cache, "get", wraps=cache.get) as cache_get:
        response = client.get(story.url, {"uncached": 1})

    assert response.status_code == 200
    assert "Harbour bridge reopens" in response.text
    asked = [call.args[0] for call in cache_get.call_args_list]
    assert asked.count(view_restrictions.GENERATION_KEY) == 1


def test_the_next_request_sees_a_section_restricted_elsewhere(client, site_tree, redis_client):
    story = ArticlePageFactory(parent=site_tree["news"], title="Harbour bridge reopens")
    assert "Harbour bridge reopens" in client.get(story.url, {"uncached": 1}).text

    restrict_from_another_process(site_tree["news"])

    response = client.get(story.url, {"uncached": 2})
    assert "Harbour bridge reopens" not in response.text
    assert 'name="password"' in response.text


def test_outside_a_request_each_read_sees_a_restriction_made_elsewhere(site_tree, redis_client):
    """A worker or shell has no request to bound a memo: it asks the cache every time."""
    story = ArticlePageFactory(parent=site_tree["news"])
    assert ArticlePage.objects.published().filter(pk=story.pk).exists()

    restrict_from_another_process(site_tree["news"])

    assert not ArticlePage.objects.published().filter(pk=story.pk).exists()
