"""Unpublished, scheduled, expired and private stories appear nowhere a reader can look."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import PageViewRestriction

import feedparser
import pytest
import time_machine

from editorial.scheduling import run_schedule
from news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db

HIDDEN = {
    "draft": "Draft sentinel story about the mayor",
    "scheduled": "Embargoed sentinel story about the budget",
    "expired": "Expired sentinel story about the fair",
    "private": "Private sentinel story about the board",
    "unpublished": "Withdrawn sentinel story about the bridge",
}
PUBLIC_URLS = [
    "/",
    "/news/",
    "/news/?tag=sentinel",
    "/news/?author=ada-byline",
    "/news/tag/sentinel/",
    "/staff/ada-byline/",
    "/news/feed/",
    "/news/feed/atom/",
    "/news/tag/sentinel/feed/",
    "/news/tag/sentinel/feed/atom/",
    "/staff/ada-byline/feed/",
    "/staff/ada-byline/feed/atom/",
    "/sitemap.xml",
    "/news-sitemap.xml",
]


@pytest.fixture
def stories(site_tree, reporter):
    now = timezone.now()
    common = {"parent": site_tree["news"], "tags": ["sentinel"], "authors": [reporter]}
    visible = ArticlePageFactory(title="Visible sentinel story about the park", **common)
    hidden = {
        "draft": ArticlePageFactory(title=HIDDEN["draft"], draft=True, **common),
        "scheduled": ArticlePageFactory(
            title=HIDDEN["scheduled"],
            live=False,
            first_published_at=None,
            go_live_at=now + timedelta(hours=3),
            **common,
        ),
        "expired": ArticlePageFactory(
            title=HIDDEN["expired"], expire_at=now - timedelta(minutes=1), **common
        ),
        "private": ArticlePageFactory(title=HIDDEN["private"], **common),
        "unpublished": ArticlePageFactory(title=HIDDEN["unpublished"], **common),
    }
    PageViewRestriction.objects.create(
        page=hidden["private"], restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    hidden["unpublished"].unpublish()
    return visible, hidden


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_hidden_stories_are_absent_from_every_listing_feed_and_sitemap(client, stories, url):
    visible, hidden = stories
    response = client.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert visible.title in body or url == "/sitemap.xml"
    for title in HIDDEN.values():
        assert title not in body
    for page in hidden.values():
        assert f"/news/{page.slug}/" not in body


def test_visible_story_is_in_wagtails_sitemap_and_the_hidden_ones_are_not(client, stories):
    visible, hidden = stories
    body = client.get("/sitemap.xml").content.decode()
    assert f"<loc>http://localhost/news/{visible.slug}/</loc>" in body
    for page in hidden.values():
        assert page.slug not in body


def test_feeds_list_exactly_the_visible_story(client, stories):
    visible, _ = stories
    for url in ("/news/feed/", "/news/tag/sentinel/feed/atom/", "/staff/ada-byline/feed/"):
        feed = feedparser.parse(client.get(url).content)
        assert [entry.title for entry in feed.entries] == [visible.title]


@pytest.mark.parametrize("kind", ["draft", "scheduled", "expired", "unpublished"])
def test_hidden_story_url_is_a_404(client, stories, kind):
    _, hidden = stories
    assert client.get(f"/news/{hidden[kind].slug}/").status_code == 404


def test_private_story_shows_only_the_password_form(client, stories):
    _, hidden = stories
    response = client.get(f"/news/{hidden['private'].slug}/")
    assert response.status_code == 200
    assert "password" in response.content.decode().lower()
    assert "application/ld+json" not in response.content.decode()
    assert hidden["private"].dek not in response.content.decode()


def test_scheduled_story_appears_once_the_scheduler_publishes_it(client, stories):
    _, hidden = stories
    story = hidden["scheduled"]
    story.save_revision().publish()  # an editor schedules it: not live yet
    assert story.title not in client.get("/news/feed/").content.decode()

    with time_machine.travel(story.go_live_at + timedelta(minutes=1)):
        run_schedule()
        feed = feedparser.parse(client.get("/news/feed/").content)
        assert story.title in [entry.title for entry in feed.entries]
        assert story.title in client.get("/news/tag/sentinel/").content.decode()
        assert client.get(f"/news/{story.slug}/").status_code == 200
