"""One origin per page: canonical, Open Graph, JSON-LD, feeds, sitemaps and images all name the
address the site is served from (`set_site_origin`, from PUBLIC_BASE_URL), whatever Host the
request carried."""

import json
import re
from urllib.parse import urlsplit

from django.core.management import CommandError, call_command

from wagtail.models import Site

import pytest

from news.factories import ArticlePageFactory, NewsImageFactory

pytestmark = pytest.mark.django_db

ABSOLUTE_URL = re.compile(r"""https?://[^\s"'<>]+""")


def absolute_urls(text: str) -> set[str]:
    """Every absolute URL a response names, less those of other outlets and of XML namespaces."""
    ignored = (
        "schema.org",
        "www.sitemaps.org",
        "www.google.com/schemas",
        "www.w3.org",
        "purl.org",
        # Share links: other services' intent URLs, carrying the story's own address.
        "x.com/intent/",
        "bsky.app/intent/",
        "www.facebook.com/sharer/",
        "www.linkedin.com/sharing/",
    )
    return {url for url in ABSOLUTE_URL.findall(text) if not any(name in url for name in ignored)}


def origins(urls: set[str]) -> set[str]:
    return {re.match(r"https?://[^/]+", url).group(0) for url in urls}


@pytest.fixture
def story(site_tree, reporter):
    return ArticlePageFactory(
        parent=site_tree["news"],
        title="Harbour wall repaired",
        slug="harbour-wall",
        dek="Work finished a week early.",
        lead_image=NewsImageFactory(title="Wall", description="The harbour wall"),
        tags=["harbour"],
        authors=[reporter],
    )


def everything_public(client, story, **headers) -> dict[str, str]:
    paths = {
        "article": story.url,
        "home": "/",
        "section": "/news/",
        "rss": "/news/feed/",
        "atom": "/news/feed/atom/",
        "tag feed": "/news/tag/harbour/feed/",
        "author": "/staff/ada-byline/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
        "robots": "/robots.txt",
    }
    pages = {}
    for name, path in paths.items():
        response = client.get(path, **headers)
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    return pages


@pytest.mark.parametrize(
    "origin", ["http://127.0.0.1:8000", "http://127.0.0.1:8123", "https://news.example.com"]
)
def test_every_absolute_url_names_the_origin_the_site_is_served_from(
    client, story, origin, settings
):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "news.example.com"]
    call_command("set_site_origin", origin, verbosity=0)

    pages = everything_public(client, story, HTTP_HOST=urlsplit(origin).netloc)

    for name, text in pages.items():
        assert origins(absolute_urls(text)) == {origin}, name
    article = pages["article"]
    assert f'<link rel="canonical" href="{origin}/news/harbour-wall/">' in article
    assert f'<meta property="og:url" content="{origin}/news/harbour-wall/">' in article
    assert re.search(
        rf'<meta property="og:image" content="{re.escape(origin)}/media/images/', article
    )
    [data] = [
        json.loads(block)
        for block in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', article, re.S
        )
    ]
    assert data["url"] == data["mainEntityOfPage"]["@id"] == f"{origin}/news/harbour-wall/"
    assert data["publisher"]["logo"]["url"] == f"{origin}/static/img/logo.png"
    assert all(image["url"].startswith(f"{origin}/media/images/") for image in data["image"])
    assert f"<link>{origin}/news/harbour-wall/</link>" in pages["rss"]
    assert f"<guid>{origin}/news/harbour-wall/</guid>" in pages["rss"]
    assert f"<loc>{origin}/news/harbour-wall/</loc>" in pages["sitemap"]
    assert f"<loc>{origin}/news/harbour-wall/</loc>" in pages["news sitemap"]
    assert f"Sitemap: {origin}/sitemap.xml" in pages["robots"]


def test_a_stray_host_header_cannot_put_its_own_origin_in_a_page(client, story):
    call_command("set_site_origin", "https://news.example.com", verbosity=0)

    pages = everything_public(client, story, HTTP_HOST="localhost:9999")

    for name, text in pages.items():
        assert "localhost" not in text, name
        assert origins(absolute_urls(text)) == {"https://news.example.com"}, name


def test_set_site_origin_defaults_to_public_base_url(settings, site_tree):
    settings.PUBLIC_BASE_URL = "https://news.example.com"

    call_command("set_site_origin", verbosity=0)

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == (
        "news.example.com",
        443,
        "https://news.example.com",
    )


@pytest.mark.parametrize(
    ("origin", "message"),
    [
        ("news.example.com", "'news.example.com' is not an http(s) origin"),
        ("ftp://news.example.com", "'ftp://news.example.com' is not an http(s) origin"),
        ("https://news.example.com/site/", "has a path; give the origin only"),
        ("https://news.example.com:8443", "Wagtail serves https on port 443 only"),
    ],
)
def test_an_origin_wagtail_cannot_serve_is_refused_and_nothing_changes(site_tree, origin, message):
    before = Site.objects.values_list("hostname", "port").get(is_default_site=True)

    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("set_site_origin", origin, verbosity=0)

    assert Site.objects.values_list("hostname", "port").get(is_default_site=True) == before


def test_set_site_origin_without_an_origin_says_what_to_set(settings, site_tree):
    settings.PUBLIC_BASE_URL = ""

    with pytest.raises(CommandError, match="set PUBLIC_BASE_URL"):
        call_command("set_site_origin", verbosity=0)


def test_the_deploy_check_says_when_the_site_does_not_answer_at_public_base_url(
    settings, site_tree
):
    from django.core.checks import run_checks

    settings.PUBLIC_BASE_URL = "https://news.example.com"

    def origin_warnings():
        return [
            message.id
            for message in run_checks(databases=["default"], include_deployment_checks=True)
            if message.id.startswith("news.")
        ]

    assert origin_warnings() == ["news.W001"]
    call_command("set_site_origin", verbosity=0)
    assert origin_warnings() == []
    settings.PUBLIC_BASE_URL = ""
    assert origin_warnings() == ["news.W002"]
