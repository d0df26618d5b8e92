"""The top of a story: kicker, byline linking live staff pages, the time in the newsroom's zone,
share links that need no third-party script; and the site's small things (icons, manifest)."""

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from news.factories import ArticlePageFactory, NewsIndexPageFactory, StaffProfilePageFactory

pytestmark = pytest.mark.django_db


def test_a_story_in_a_section_carries_the_section_as_its_kicker(client, site_tree, reporter):
    world = NewsIndexPageFactory(parent=site_tree["news"], title="World", slug="world")
    story = ArticlePageFactory(parent=world, title="Summit ends", tags=["diplomacy"])

    html = client.get(story.url).content.decode()

    assert '<p class="kicker"><a href="/news/world/">World</a></p>' in html


def test_the_byline_links_live_profiles_only_and_gives_the_time_in_the_newsrooms_zone(
    client, site_tree, reporter
):
    draft = StaffProfilePageFactory(parent=site_tree["staff"], title="Cy Draft", live=False)
    story = ArticlePageFactory(
        parent=site_tree["news"],
        authors=[reporter, draft],
        display_date=datetime(2026, 12, 3, 14, 5, tzinfo=UTC),
        updated_at=datetime(2026, 12, 3, 16, 20, tzinfo=UTC),
    )
    summer = ArticlePageFactory(
        parent=site_tree["news"], display_date=datetime(2026, 7, 1, 8, 30, tzinfo=UTC)
    )

    html = client.get(story.url).content.decode()

    assert (
        '<p class="byline__names">By <a href="/staff/ada-byline/" rel="author">Ada Byline</a>'
        " and Cy Draft</p>"
    ) in html
    assert '<time datetime="2026-12-03T14:05:00+00:00">3 December 2026, 14:05 GMT</time>' in html
    assert "Updated <time" in html and "3 December 2026, 16:20 GMT</time>" in html
    # No archive link for a profile readers cannot open; the live one keeps it.
    assert html.count("View all posts") == 1
    assert 'View all posts<span class="visually-hidden"> by Ada Byline' in html
    # British Summer Time in July: the clock readers saw.
    assert "1 July 2026, 09:30 BST</time>" in client.get(summer.url).content.decode()


def test_share_links_are_plain_urls_with_the_story_address(client, site_tree, reporter):
    story = ArticlePageFactory(
        parent=site_tree["news"], title="Tides & storms", slug="tides", authors=[reporter]
    )
    html = client.get(story.url).content.decode()
    share = html[
        html.index('<section class="share"') : html.index(
            "</section>", html.index('<section class="share"')
        )
    ]
    links = {
        text: href.replace("&amp;", "&")
        for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([A-Za-z]+)', share)
    }
    url = "http://localhost/news/tides/"

    assert set(links) == {"Email", "X", "Bluesky", "Facebook", "LinkedIn"}
    assert parse_qs(urlsplit(links["Email"]).query) == {
        "subject": ["Tides & storms"],
        "body": [url],
    }
    assert links["X"].startswith("https://x.com/intent/post?")
    assert parse_qs(urlsplit(links["X"]).query) == {"text": ["Tides & storms"], "url": [url]}
    assert parse_qs(urlsplit(links["Bluesky"]).query) == {"text": [f"Tides & storms {url}"]}
    assert parse_qs(urlsplit(links["Facebook"]).query) == {"u": [url]}
    assert parse_qs(urlsplit(links["LinkedIn"]).query) == {"url": [url]}
    assert f'data-copy-link="{url}" hidden>Copy link</button>' in share
    assert "<script" not in share


def test_favicon_touch_icon_and_manifest(client, site_tree):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"  # an ICO file

    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    data = manifest.json()
    assert data["name"] == "Masthead"
    assert data["start_url"] == "/"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    for entry in data["icons"]:
        assert client.get(entry["src"]).status_code == 200

    html = client.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    touch = re.search(r'<link rel="apple-touch-icon" href="([^"]+)">', html).group(1)
    assert client.get(touch).status_code == 200
