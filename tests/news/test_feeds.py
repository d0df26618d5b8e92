"""RSS 2.0 and Atom feeds for all news, per tag and per author, read back with feedparser."""

from datetime import UTC, datetime, timedelta

import feedparser
import pytest

from news.factories import ArticlePageFactory, StaffProfilePageFactory
from news.feeds import FEED_LENGTH

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom(site_tree, reporter):
    other = StaffProfilePageFactory(parent=site_tree["staff"], title="Cy Dee", slug="cy-dee")
    start = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
    stories = [
        ArticlePageFactory(
            parent=site_tree["news"],
            title=f"Story number {n}",
            slug=f"story-{n}",
            dek=f"Summary {n} <b>bold</b> & more",
            first_published_at=start + timedelta(hours=n),
            tags=["council"] if n % 2 else ["sport"],
            authors=[reporter] if n % 3 else [reporter, other],
        )
        for n in range(1, 7)
    ]
    return stories


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, feedparser.parse(response.content)


def test_all_news_rss_feed(client, newsroom):
    response, feed = fetch(client, "/news/feed/")

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert feed.version == "rss20"
    assert feed.bozo == 0
    assert feed.feed.title == "News · Masthead"
    assert feed.feed.link == "http://localhost/news/"
    assert [entry.title for entry in feed.entries] == [f"Story number {n}" for n in range(6, 0, -1)]
    newest = feed.entries[0]
    assert newest.link == "http://localhost/news/story-6/"
    assert newest.summary == "Summary 6 &lt;b&gt;bold&lt;/b&gt; &amp; more"
    assert newest.published_parsed[:6] == (2026, 11, 1, 15, 0, 0)
    assert newest.author == "Ada Byline, Cy Dee" or newest.author.endswith("(Ada Byline, Cy Dee)")
    assert [tag.term for tag in newest.tags] == ["sport"]


def test_all_news_atom_feed(client, newsroom):
    response, feed = fetch(client, "/news/feed/atom/")

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert feed.version == "atom10"
    assert feed.bozo == 0
    assert len(feed.entries) == 6
    entry = feed.entries[1]
    assert entry.title == "Story number 5"
    assert entry.id == "http://localhost/news/story-5/"
    assert entry.author_detail.name == "Ada Byline"
    assert entry.author_detail.href == "http://localhost/staff/ada-byline/"
    assert entry.updated_parsed[:6] == (2026, 11, 1, 14, 0, 0)


def test_tag_feeds_list_only_that_tag(client, newsroom):
    _, rss = fetch(client, "/news/tag/council/feed/")
    _, atom = fetch(client, "/news/tag/council/feed/atom/")

    expected = ["Story number 5", "Story number 3", "Story number 1"]
    assert [entry.title for entry in rss.entries] == expected
    assert [entry.title for entry in atom.entries] == expected
    assert rss.feed.title == "council · Masthead"
    assert rss.feed.link == "http://localhost/news/tag/council/"


def test_author_feeds_list_only_their_stories(client, newsroom):
    _, rss = fetch(client, "/staff/cy-dee/feed/")
    _, atom = fetch(client, "/staff/cy-dee/feed/atom/")

    assert [entry.title for entry in rss.entries] == ["Story number 6", "Story number 3"]
    assert [entry.title for entry in atom.entries] == ["Story number 6", "Story number 3"]
    assert atom.feed.title == "Cy Dee · Masthead"


def test_unknown_tag_feed_is_a_404(client, newsroom):
    assert client.get("/news/tag/no-such-tag/feed/").status_code == 404


def test_feed_is_capped(client, site_tree):
    for n in range(FEED_LENGTH + 2):
        ArticlePageFactory(parent=site_tree["news"], slug=f"s-{n}")
    _, feed = fetch(client, "/news/feed/")
    assert len(feed.entries) == FEED_LENGTH == 30


def test_pages_advertise_their_feeds(client, newsroom):
    def alternates(url):
        html = client.get(url).content.decode()
        return [
            line.strip()
            for line in html.splitlines()
            if 'rel="alternate"' in line and "feed/" in line
        ]

    assert alternates("/") == [
        '<link rel="alternate" type="application/rss+xml" title="News (RSS)" href="/news/feed/">',
        '<link rel="alternate" type="application/atom+xml" title="News (Atom)" href="/news/feed/atom/">',
    ]
    assert alternates("/news/tag/council/") == [
        '<link rel="alternate" type="application/rss+xml" title="council (RSS)" href="/news/tag/council/feed/">',
        '<link rel="alternate" type="application/atom+xml" title="council (Atom)" href="/news/tag/council/feed/atom/">',
    ]
    assert alternates("/staff/cy-dee/") == [
        '<link rel="alternate" type="application/rss+xml" title="Stories by Cy Dee (RSS)" href="/staff/cy-dee/feed/">',
        '<link rel="alternate" type="application/atom+xml" title="Stories by Cy Dee (Atom)" href="/staff/cy-dee/feed/atom/">',
    ]
