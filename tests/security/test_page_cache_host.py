"""Cache poisoning through Host: a page rendered for a stray Host (another name or port that
ALLOWED_HOSTS lets through) is never stored for the next reader, nor answered from the cache."""

from django.test import Client

import pytest

from news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

STRAY = "localhost:9999"


@pytest.fixture
def story(site_tree, settings, redis_client):
    settings.PUBLIC_BASE_URL = "http://testserver"  # the origin readers use; the Host they send
    return ArticlePageFactory(parent=site_tree["news"], title="Tide tables for the week")


def test_a_stray_host_is_rendered_for_itself_and_never_kept(story):
    reader = Client()
    stray = reader.get(story.url, HTTP_HOST=STRAY)
    assert stray.status_code == 200
    assert "X-Cache" not in stray.headers  # neither looked up nor stored

    first = reader.get(story.url)
    assert first.headers["X-Cache"] == "MISS"  # the stray request stored nothing
    again = reader.get(story.url)
    assert again.headers["X-Cache"] == "HIT"
    assert ":9999" not in again.content.decode()

    # Once the page is cached, the stray Host is not answered from it either.
    assert "X-Cache" not in reader.get(story.url, HTTP_HOST=STRAY).headers


def test_the_public_origin_with_its_default_port_is_the_same_host(story):
    reader = Client()
    assert reader.get(story.url, HTTP_HOST="testserver:80").headers["X-Cache"] == "MISS"
    assert reader.get(story.url).headers["X-Cache"] == "HIT"
