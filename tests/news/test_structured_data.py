"""NewsArticle, Person and WebSite JSON-LD, Open Graph and Twitter tags, canonical links."""

import json
import re
from datetime import UTC, datetime

import pytest

from news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def meta(html: str, key: str) -> list[str]:
    return re.findall(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)


def test_article_carries_a_complete_news_article(client, full_article):
    full_article.first_published_at = datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    full_article.last_published_at = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)
    full_article.save()

    html = client.get("/news/flood-barrier-holds/").content.decode()
    [data] = json_ld(html)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Flood barrier holds as river peaks"
    assert data["description"] == "Engineers say the new gates worked as designed."
    assert data["datePublished"] == "2026-11-20T08:15:00+00:00"
    assert data["dateModified"] == "2026-11-21T10:00:00+00:00"
    assert data["url"] == "http://localhost/news/flood-barrier-holds/"
    assert data["mainEntityOfPage"]["@id"] == "http://localhost/news/flood-barrier-holds/"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Ada Byline",
            "url": "http://localhost/staff/ada-byline/",
            "jobTitle": "Courts reporter",
        },
        {
            "@type": "Person",
            "name": "Bo Chen",
            "url": "http://localhost/staff/bo-chen/",
            "jobTitle": "Photographer",
        },
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"] == "Masthead"
    assert data["publisher"]["logo"]["url"] == "http://localhost/static/img/logo.png"
    assert (data["publisher"]["logo"]["width"], data["publisher"]["logo"]["height"]) == (600, 60)
    assert [(image["width"], image["height"]) for image in data["image"]] == [
        (1200, 675),
        (1200, 900),
    ]
    assert all(image["url"].startswith("http://localhost/media/images/") for image in data["image"])
    assert data["keywords"] == ["climate", "floods"]
    assert data["articleSection"] == "News"
    assert data["isBasedOn"] == {
        "@type": "CreativeWork",
        "url": "https://herald.example.com/flood",
        "publisher": {
            "@type": "Organization",
            "name": "City Herald",
            "url": "https://herald.example.com/",
        },
    }
    [correction] = data["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "An earlier version misspelt the engineer's name."
    assert re.fullmatch(
        r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d\d:\d\d", correction["datePublished"]
    )


def test_json_ld_cannot_be_broken_out_of(client, site_tree):
    ArticlePageFactory(
        parent=site_tree["news"],
        slug="hostile",
        title="</script><script>alert(1)</script>",
        dek="<!-- & -->",
    )
    html = client.get("/news/hostile/").content.decode()

    assert "<script>alert(1)" not in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "\\u003C/script\\u003E\\u003Cscript\\u003Ealert(1)" in block
    assert json.loads(block)["headline"] == "</script><script>alert(1)</script>"


def test_article_social_and_canonical_tags(client, full_article):
    html = client.get("/news/flood-barrier-holds/").content.decode()

    assert '<link rel="canonical" href="http://localhost/news/flood-barrier-holds/">' in html
    assert meta(html, "robots") == ["index, follow, max-image-preview:large, max-snippet:-1"]
    assert meta(html, "og:type") == ["article"]
    assert meta(html, "og:title") == ["Flood barrier holds as river peaks"]
    assert meta(html, "og:description") == ["Engineers say the new gates worked as designed."]
    assert meta(html, "og:url") == ["http://localhost/news/flood-barrier-holds/"]
    [og_image] = meta(html, "og:image")
    assert re.fullmatch(
        r"http://localhost/media/images/.+\.fill-1200x675\.format-jpeg\.jpg", og_image
    )
    assert meta(html, "og:image:width") == ["1200"]
    assert meta(html, "og:image:alt") == ["The flood barrier at dawn"]
    assert meta(html, "twitter:card") == ["summary_large_image"]
    assert meta(html, "twitter:image") == [og_image]
    assert meta(html, "article:tag") == ["climate", "floods"]
    assert meta(html, "article:author") == [
        "http://localhost/staff/ada-byline/",
        "http://localhost/staff/bo-chen/",
    ]


def test_canonical_url_override_is_honoured(client, site_tree):
    ArticlePageFactory(
        parent=site_tree["news"], slug="wire", canonical_url="https://wire.example.com/story"
    )
    html = client.get("/news/wire/").content.decode()
    assert '<link rel="canonical" href="https://wire.example.com/story">' in html
    assert json_ld(html)[0]["mainEntityOfPage"]["@id"] == "https://wire.example.com/story"


def test_profile_carries_a_person(client, site_tree, full_article):
    html = client.get("/staff/bo-chen/").content.decode()
    [data] = json_ld(html)

    assert data["@type"] == "Person"
    assert data["name"] == "Bo Chen"
    assert data["jobTitle"] == "Photographer"
    assert data["url"] == "http://localhost/staff/bo-chen/"
    assert data["description"] == "Bo Chen covers the city for Masthead."
    assert data["image"]["width"] == 400
    assert data["worksFor"]["@type"] == "NewsMediaOrganization"
    assert meta(html, "og:type") == ["profile"]
    assert '<link rel="canonical" href="http://localhost/staff/bo-chen/">' in html


def test_home_carries_a_website_with_search_action(client, site_tree):
    html = client.get("/").content.decode()
    [data] = json_ld(html)

    assert data["@type"] == "WebSite"
    assert data["url"] == "http://localhost/"
    assert data["potentialAction"] == {
        "@type": "SearchAction",
        "target": {
            "@type": "EntryPoint",
            "urlTemplate": "http://localhost/search/?q={search_term}",
        },
        "query-input": "required name=search_term",
    }
    assert meta(html, "og:type") == ["website"]


def test_listing_pages_have_self_referencing_canonicals(client, site_tree):
    for n in range(14):
        ArticlePageFactory(parent=site_tree["news"], slug=f"s{n}", tags=["roads"])
    pages = {
        "/news/": "http://localhost/news/",
        "/news/?page=2": "http://localhost/news/?page=2",
        "/news/tag/roads/": "http://localhost/news/tag/roads/",
        "/news/tag/roads/?page=2": "http://localhost/news/tag/roads/?page=2",
    }
    for url, canonical in pages.items():
        html = client.get(url).content.decode()
        assert f'<link rel="canonical" href="{canonical}">' in html
