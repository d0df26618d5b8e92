"""Exact invalidation: each change purges the pages that show it, through a real Celery worker."""

import threading
import time
from datetime import timedelta
from functools import partial
from http.server import BaseHTTPRequestHandler, HTTPServer

from django.core.cache import cache
from django.utils import timezone

import pytest

from editorial.scheduling import run_schedule
from news.caching import path_key
from news.factories import ArticleCorrectionFactory, ArticlePageFactory, StaffProfilePageFactory
from news.models import ArticlePage
from news.purging import paths_showing, purge_article_pages

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ARTICLE = "/news/bridge/"
HOME = "/"
SECTION = "/news/"
TAG = "/news/tag/harbour/"
AUTHOR = "/staff/ada-reporter/"
LISTINGS = [HOME, SECTION, TAG, AUTHOR]


def eventually(check, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def purged(*paths: str) -> bool:
    return all(cache.get(path_key(path)) is None for path in paths)


def warm(client, *paths: str) -> None:
    """Cache each path. Retried: the worker's sweep of an earlier change may still delete a
    page the request just stored (the request itself already forgot the plain pages)."""

    def cached_on_second_read(path: str) -> bool:
        client.get(path)
        return client.get(path)["X-Cache"] == "HIT"

    for path in paths:
        assert eventually(partial(cached_on_second_read, path)), path


@pytest.fixture
def story(site_tree, celery_worker_instance):
    author = StaffProfilePageFactory(parent=site_tree["staff"], title="Ada Reporter")
    article = ArticlePageFactory(
        parent=site_tree["news"],
        title="Harbour bridge reopens",
        slug="bridge",
        authors=[author],
        tags=["harbour"],
    )
    article.save_revision().publish()
    other = ArticlePageFactory(parent=site_tree["news"], title="Library extends hours", slug="lib")
    return ArticlePage.objects.get(pk=article.pk), other


def test_the_purge_set_of_an_article_is_exactly_the_pages_that_show_it(story):
    article, _ = story

    assert paths_showing(article) == {
        ARTICLE,
        HOME,
        SECTION,
        f"{SECTION}feed/",
        f"{SECTION}feed/atom/",
        TAG,
        f"{TAG}feed/",
        f"{TAG}feed/atom/",
        AUTHOR,
        f"{AUTHOR}feed/",
        f"{AUTHOR}feed/atom/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/search/",
    }


def test_editing_a_live_article_shows_on_the_next_request_everywhere(client, story):
    article, other = story
    warm(client, ARTICLE, *LISTINGS, other.url)

    article.title = "Harbour bridge reopens after repairs"
    article.save_revision().publish()

    assert eventually(lambda: purged(ARTICLE, *LISTINGS))
    for path in [ARTICLE, *LISTINGS]:
        response = client.get(path)
        assert response["X-Cache"] == "MISS", path
        assert "Harbour bridge reopens after repairs" in response.text, path
    # An unrelated article's page was not purged.
    assert client.get(other.url)["X-Cache"] == "HIT"


def test_a_change_shows_on_the_next_request_even_with_no_worker_running(client, site_tree):
    """The request that publishes forgets the plain pages itself; workers only add the CDN and
    the `?page=N` variants, so a backed-up queue cannot keep readers on the old story."""
    author = StaffProfilePageFactory(parent=site_tree["staff"], title="Ada Reporter")
    article = ArticlePageFactory(
        parent=site_tree["news"], title="Harbour bridge reopens", slug="bridge", authors=[author]
    )
    article.save_revision().publish()
    warm(client, ARTICLE, HOME, SECTION, AUTHOR)

    article.title = "Harbour bridge reopens after repairs"
    article.save_revision().publish()

    for path in [ARTICLE, HOME, SECTION, AUTHOR]:
        response = client.get(path)
        assert response["X-Cache"] == "MISS", path
        assert "Harbour bridge reopens after repairs" in response.text, path


def test_a_tag_removed_by_an_edit_leaves_that_tag_page(client, story):
    article, _ = story
    warm(client, TAG)
    assert "Harbour bridge reopens" in client.get(TAG).text

    article.tags.set(["transport"])
    article.save_revision().publish()

    assert eventually(lambda: purged(TAG))
    # No live story carries the tag now, so its page is gone (the 404 page may still suggest
    # the story by the address's words, as it should).
    gone = client.get(TAG)
    assert gone.status_code == 404
    assert "Stories tagged" not in gone.text
    assert "Harbour bridge reopens" in client.get("/news/tag/transport/").text


def test_unpublishing_removes_the_article_everywhere(client, story):
    article, _ = story
    warm(client, ARTICLE, *LISTINGS)

    article.unpublish()

    assert eventually(lambda: purged(ARTICLE, *LISTINGS))
    assert client.get(ARTICLE).status_code == 404
    for path in LISTINGS:
        assert "Harbour bridge reopens" not in client.get(path).text, path


def test_scheduled_go_live_and_expiry_purge_the_listings(client, story, site_tree):
    warm(client, HOME, SECTION)
    scheduled = ArticlePageFactory(
        parent=site_tree["news"], title="Embargoed budget story", slug="budget", draft=True
    )
    scheduled.go_live_at = timezone.now() + timedelta(seconds=1)
    scheduled.save_revision().publish()
    assert "Embargoed budget story" not in client.get(HOME).text

    time.sleep(1.1)
    run_schedule()

    assert eventually(lambda: purged(HOME, SECTION))
    assert "Embargoed budget story" in client.get(HOME).text
    assert "Embargoed budget story" in client.get(SECTION).text

    warm(client, HOME, SECTION)
    ArticlePage.objects.filter(pk=scheduled.pk).update(expire_at=timezone.now())
    run_schedule()

    assert eventually(lambda: purged(HOME, SECTION))
    assert "Embargoed budget story" not in client.get(HOME).text
    assert "Embargoed budget story" not in client.get(SECTION).text


def test_purge_article_pages_is_the_entry_point_for_other_changes(client, story):
    article, _ = story
    warm(client, ARTICLE, HOME)
    ArticleCorrectionFactory(page=article, note="An earlier version misnamed the bridge.")
    assert "misnamed the bridge" not in client.get(ARTICLE).text  # still the cached copy

    purge_article_pages(article.pk)

    assert eventually(lambda: purged(ARTICLE, HOME))
    assert "misnamed the bridge" in client.get(ARTICLE).text


class PurgeRecorder(BaseHTTPRequestHandler):
    """A stand-in CDN purge endpoint (a real HTTP server) that fails its first request."""

    received: list[tuple[str, str, int]] = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method name
        status = 500 if not self.received else 200
        self.received.append((self.headers["Host"], self.path, status))
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    PurgeRecorder.received = []
    server = HTTPServer(("127.0.0.1", 0), PurgeRecorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "news.purging.HTTPPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield PurgeRecorder.received
    server.shutdown()


def test_a_failing_cdn_is_retried_and_never_fails_the_publish(client, story, cdn):
    article, _ = story

    article.title = "Bridge opens to cyclists"
    article.save_revision().publish()

    assert client.get(ARTICLE).status_code == 200

    def purged_at_the_cdn() -> set[str]:
        return {path for _, path, status in cdn if status == 200}

    # The retried batch purges its paths one request at a time: wait for all of them.
    assert eventually(lambda: purged_at_the_cdn() >= {ARTICLE, HOME, SECTION, TAG}, timeout=30)
    assert cdn[0][2] == 500  # the first attempt failed; the task retried the batch


def test_a_breaking_news_banner_shows_on_the_next_front_page(client, story):
    from news.models import BreakingNews

    warm(client, HOME, SECTION)

    BreakingNews.objects.create(
        headline="Storm closes the harbour", ends_at=timezone.now() + timedelta(hours=1)
    )

    assert eventually(lambda: purged(HOME))
    assert "Storm closes the harbour" in client.get(HOME).text
    assert client.get(SECTION)["X-Cache"] == "HIT"  # the banner is on the front page only


def test_approving_a_comment_purges_only_the_article_page(client, story):
    from readership.models import Comment

    article, other = story
    warm(client, ARTICLE, *LISTINGS, other.url)
    comment = Comment.objects.create(
        article=article, name="Reader", body="The new bridge lighting is lovely."
    )
    assert "The new bridge lighting is lovely." not in client.get(ARTICLE).text

    comment.moderate(Comment.Status.APPROVED)

    assert eventually(lambda: purged(ARTICLE))
    response = client.get(ARTICLE)
    assert response["X-Cache"] == "MISS"
    assert "The new bridge lighting is lovely." in response.text
    for path in [*LISTINGS, other.url]:
        assert client.get(path)["X-Cache"] == "HIT", path
