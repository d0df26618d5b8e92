"""Wagtail's sitemap.xml and the Google News sitemap, parsed as XML."""

from datetime import timedelta

from django.utils import timezone

import pytest
from defusedxml import ElementTree

from news.factories import ArticlePageFactory
from news.models import NewsroomSettings

pytestmark = pytest.mark.django_db
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def test_wagtail_sitemap_lists_pages_with_lastmod(client, site_tree):
    story = ArticlePageFactory(parent=site_tree["news"], slug="bridge")
    story.save_revision().publish()
    root = parse(client, "/sitemap.xml")
    locs = [url.findtext("sm:loc", namespaces=NS) for url in root.findall("sm:url", NS)]
    assert locs == [
        "http://localhost/",
        "http://localhost/news/",
        "http://localhost/news/bridge/",
        "http://localhost/staff/",
    ]


def test_story_that_first_ran_elsewhere_is_left_to_its_canonical_home(client, site_tree):
    ArticlePageFactory(
        parent=site_tree["news"], slug="syndicated", canonical_url="https://other.example/x"
    )
    assert b"syndicated" not in client.get("/sitemap.xml").content
    assert b"syndicated" not in client.get("/news-sitemap.xml").content


def test_google_news_sitemap_has_the_last_two_days(client, site_tree):
    now = timezone.now()
    NewsroomSettings.objects.create(
        site=site_tree["home"].get_site(), publisher_name="The Masthead Times", language="en-GB"
    )
    ArticlePageFactory(
        parent=site_tree["news"], slug="fresh", title="Fresh & new", tags=["council", "roads"]
    )
    ArticlePageFactory(
        parent=site_tree["news"], slug="yesterday", first_published_at=now - timedelta(hours=30)
    )
    ArticlePageFactory(
        parent=site_tree["news"], slug="old", first_published_at=now - timedelta(days=2, hours=1)
    )

    root = parse(client, "/news-sitemap.xml")

    urls = root.findall("sm:url", NS)
    assert [url.findtext("sm:loc", namespaces=NS) for url in urls] == [
        "http://localhost/news/fresh/",
        "http://localhost/news/yesterday/",
    ]
    news = urls[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Masthead Times"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en-GB"
    assert news.findtext("news:title", namespaces=NS) == "Fresh & new"
    assert news.findtext("news:keywords", namespaces=NS) == "council, roads"
    published = news.findtext("news:publication_date", namespaces=NS)
    assert published[-6:] in ("+00:00", "+01:00")  # with its time zone


def test_google_news_sitemap_is_capped(client, site_tree, monkeypatch):
    from news import sitemaps

    assert sitemaps.NEWS_LIMIT == 1000
    monkeypatch.setattr(sitemaps, "NEWS_LIMIT", 3)
    for n in range(4):
        ArticlePageFactory(parent=site_tree["news"], slug=f"s{n}")

    root = parse(client, "/news-sitemap.xml")

    assert [url.findtext("sm:loc", namespaces=NS) for url in root.findall("sm:url", NS)] == [
        "http://localhost/news/s3/",
        "http://localhost/news/s2/",
        "http://localhost/news/s1/",
    ]


def test_robots_txt_points_at_both_sitemaps(client, site_tree):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        "User-agent: *",
        "Disallow: /admin/",
        "Sitemap: http://localhost/sitemap.xml",
        "Sitemap: http://localhost/news-sitemap.xml",
    ]
