"""I-01: hostile markup in every field an editor or a reader controls never executes.

Each payload is stored the way it arrives: plain-text fields as typed in the admin, rich text
through the converter the admin's editor posts through (where a hostile client would aim),
URL fields through their validators, reader input through the public endpoints. Then the public
pages and the admin views are parsed and searched for anything a browser would run: a script
element carrying the payload, an `on*` attribute, a `javascript:` URL (however spelt), a broken
JSON data block, or evaluated template syntax. tests/browser/test_xss_dom.py asks Chromium the
same question about the live DOM.
"""

import html
import json
import re
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client

from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter

import pytest
from bs4 import BeautifulSoup

from news.blocks import ArticleBodyBlock
from news.factories import (
    ArticlePageFactory,
    NewsImageFactory,
    SourceFactory,
    StaffProfilePageFactory,
)
from news.models import ArticlePage, Source, StaffProfilePage
from readership.comments import form_stamp
from readership.models import Comment
from tests.readership.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db

MARK = "alert(1337)"
CORPUS = [
    f"<script>{MARK}</script>",
    f'"><script>{MARK}</script>',
    f"'><img src=x onerror={MARK}>",
    f"<img src=x onerror={MARK}>",
    f"<svg onload={MARK}>",
    f"<svg><script>{MARK}</script></svg>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={MARK}>",
    f'<a href="javascript:{MARK}">x</a>',
    f"<iframe src=javascript:{MARK}>",
    f'<div style="background:url(javascript:{MARK})">',
    f"' onmouseover='{MARK}",
    f"</script><script>{MARK}</script>",
    f"javascript:{MARK}",
    f"JaVaScRiPt:{MARK}",
    f"java&#x73;cript:{MARK}",
    f"&#106;avascript:{MARK}",
    f"\tjava\nscript:{MARK}",
    f" javascript:{MARK}",
    f"jav&#x09;ascript:{MARK}",
    "{{ 7|add:7 }} {% debug %} {{ settings.SECRET_KEY }}",
]
URL_SCHEMES_SPELT = [
    payload for payload in CORPUS if "script:" in payload.lower() and "<" not in payload
]
TEMPLATE_PAYLOAD = CORPUS[-1]
JS_SCHEME = re.compile(r"^javascript:", re.I)
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "data", "srcdoc")
DATA_SCRIPT_TYPES = ("application/json", "application/ld+json")


def normalised_url(value: str) -> str:
    """A URL attribute (entities already decoded by the parser, once, as a browser does) with
    the control characters and spaces browsers strip inside a scheme removed, lower case."""
    return re.sub(r"[\x00-\x20]", "", value).lower()


def executable_payloads(document: str) -> list[str]:
    """Everything in the document a browser would run that carries our payload."""
    soup = BeautifulSoup(document, "html.parser")
    found = []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                found.append(f"<{element.name} {name}={value!r}>")
            if name.lower() in URL_ATTRIBUTES and JS_SCHEME.match(normalised_url(value)):
                found.append(f"<{element.name} {name}={value!r}>")
            if name.lower() == "style" and "javascript:" in normalised_url(value):
                found.append(f"<{element.name} style={value!r}>")
        if element.name == "script":
            text = element.string or ""
            if element.get("type") in DATA_SCRIPT_TYPES:
                try:
                    json.loads(text)
                except ValueError:
                    found.append(f"broken data block: {text[:120]!r}")
            elif MARK in text:
                found.append(f"script: {text[:120]!r}")
    if settings.SECRET_KEY in document:
        found.append("SECRET_KEY rendered")
    return found


def assert_inert(client, url: str, *, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    body = response.content.decode()
    assert executable_payloads(body) == [], url
    return body


def rich_text_as_posted(text: str, *, href: str, features: list[str]) -> str:
    """Rich text the way the admin stores a Draftail post: contentstate JSON, with the payload
    as text and as a link target, converted by Wagtail's converter."""
    contentstate = {
        "blocks": [
            {
                "key": "a1b2c",
                "type": "unstyled",
                "depth": 0,
                "text": text,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": min(len(text), 5), "key": 0}],
                "data": {},
            }
        ],
        "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": href}}},
    }
    return ContentstateConverter(features=features).to_database_format(json.dumps(contentstate))


@pytest.fixture
def hostile_article(site_tree):
    """An article with a corpus entry in every editor-controlled field (cycling the corpus)."""
    payloads = iter(CORPUS * 4)
    profile = StaffProfilePageFactory(
        parent=site_tree["staff"],
        title=next(payloads),
        slug="hostile-author",
        role=next(payloads),
        bio=rich_text_as_posted(next(payloads), href=f"javascript:{MARK}", features=["link"]),
    )
    image = NewsImageFactory(
        title=next(payloads),
        description=next(payloads),
        caption=next(payloads),
        credit=next(payloads),
    )
    source = SourceFactory(name=next(payloads), url="https://wire.example.com/")
    body = [
        (
            "paragraph",
            rich_text_as_posted(
                next(payloads), href=f"JaVaScRiPt:{MARK}", features=["bold", "italic", "link"]
            ),
        ),
        ("heading", {"text": next(payloads), "level": "h2"}),
        ("image", {"image": image, "caption": next(payloads)}),
        ("quote", {"text": next(payloads), "attribution": next(payloads), "is_pull_quote": True}),
        ("related_link", {"page": None, "url": "https://example.com/", "title": next(payloads)}),
        ("fact_box", {"title": next(payloads), "facts": [next(payloads), next(payloads)]}),
        (
            "paragraph",
            rich_text_as_posted(TEMPLATE_PAYLOAD, href="https://ok.example/", features=["link"]),
        ),
    ]
    article = ArticlePageFactory(
        parent=site_tree["news"],
        slug="hostile-story",
        title=f"Council meeting {CORPUS[0]} {CORPUS[7]}",
        dek=f"{CORPUS[3]} {TEMPLATE_PAYLOAD}",
        lead_image=image,
        source=source,
        source_url="https://wire.example.com/story",
        body=body,
        tags=[f"tag {CORPUS[4]}", f"tag {CORPUS[1]}"],
        authors=[profile],
    )
    # A second story so "Continue reading" and listings have the hostile one to show.
    ArticlePageFactory(parent=site_tree["news"], title="A quiet day", tags=article.tags.names())
    return article


def test_rich_text_as_posted_keeps_no_script_handler_or_javascript_link():
    for payload in CORPUS:
        for href in URL_SCHEMES_SPELT:
            stored = rich_text_as_posted(payload, href=href, features=["bold", "link"])
            assert executable_payloads(stored) == [], (payload, href, stored)
            assert not re.search(r"<(script|img|svg|math|iframe)", stored), stored


def test_url_fields_refuse_javascript_in_every_spelling(site_tree):
    for spelling in URL_SCHEMES_SPELT + [f"data:text/html,<script>{MARK}</script>"]:
        for instance, field in (
            (Source(name="Wire"), "url"),
            (ArticlePage(title="x", slug="x"), "source_url"),
            (ArticlePage(title="x", slug="x"), "canonical_url"),
            (StaffProfilePage(title="x", slug="x"), "website"),
            (StaffProfilePage(title="x", slug="x"), "mastodon_url"),
        ):
            with pytest.raises(ValidationError):
                instance._meta.get_field(field).clean(spelling, instance)
        with pytest.raises(ValidationError):
            ArticleBodyBlock().child_blocks["related_link"].child_blocks["url"].clean(spelling)


@pytest.mark.parametrize("payload", [p for p in CORPUS if "<" in p or "&" in p])
def test_slugs_refuse_markup(site_tree, payload):
    article = ArticlePageFactory.build(title="Slug test", slug=payload)
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "slug" in refused.value.message_dict


def test_editor_fields_render_inert_on_the_public_site(client, hostile_article):
    article = hostile_article
    tag_slug = article.tags.first().slug
    for url in (
        article.url,
        "/",
        "/news/",
        f"/news/tag/{tag_slug}/",
        f"/news/?tag={tag_slug}",
        "/staff/",
        "/staff/hostile-author/",
        "/news/feed/",
        "/news/feed/atom/",
        "/news-sitemap.xml",
        "/search/?q=council",
    ):
        body = assert_inert(client, url)
        assert "<script>alert(1337)" not in body, url
    page = client.get(article.url).content.decode()
    # Plain-text fields come back as the editor typed them, escaped, and never evaluated.
    assert html.escape(CORPUS[0]) in page
    assert html.escape("{{ 7|add:7 }}") in page or "{{ 7|add:7 }}" in page
    assert "14 {%" not in page


def test_editor_fields_render_inert_in_the_admin(admin_client, hostile_article, site_tree):
    article = hostile_article
    profile = StaffProfilePage.objects.get(slug="hostile-author")
    for url in (
        f"/admin/pages/{site_tree['news'].pk}/",
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{article.pk}/history/",
        f"/admin/pages/{profile.pk}/edit/",
        f"/admin/pages/{site_tree['staff'].pk}/",
        "/admin/pages/search/?q=council",
        "/admin/images/",
        f"/admin/images/{article.lead_image_id}/",
        "/admin/snippets/news/source/",
        f"/admin/snippets/news/source/edit/{article.source_id}/",
        "/admin/",
    ):
        body = admin_client.get(url).content.decode()
        assert executable_payloads(body) == [], url
        # Wagtail's own inline scripts are allowed in the admin; the payload never is one.
        assert f"<script>{MARK}" not in body, url


def post_comment(client, article, *, name: str, body: str, address: str):
    return client.post(
        f"/readership/comments/{article.pk}/",
        {"name": name, "email": "", "body": body, "stamp": form_stamp(now=time.time() - 60)},
        headers={"User-Agent": BROWSER_UA, "Origin": "http://testserver"},
        REMOTE_ADDR=address,
    )


def test_reader_comments_are_refused_or_rendered_inert(
    client, admin_client, site_tree, redis_client
):
    article = ArticlePageFactory(parent=site_tree["news"], title="Open thread")
    for number, payload in enumerate(CORPUS):
        response = post_comment(
            client,
            article,
            name=payload[:80],
            body=f"Reader says {payload}",
            address=f"198.51.100.{number}",
        )
        assert response.status_code in (302, 303, 400), (payload, response.status_code)
        if "<" in payload:  # anything that looks like a tag is refused, and nothing is stored
            assert not Comment.objects.filter(body__contains=payload).exists()
    stored = Comment.objects.filter(article=article)
    assert stored.count() > 0
    for comment in stored:
        comment.moderate(Comment.Status.APPROVED)

    page = assert_inert(Client(), article.url)
    for comment in stored:  # shown as typed (line breaks aside), escaped
        assert all(html.escape(word) in page for word in comment.body.split()), comment.body
    assert_inert(admin_client, "/admin/snippets/readership/comment/")


@pytest.mark.parametrize("payload", CORPUS)
def test_search_and_autocomplete_echo_the_query_inert(client, site_tree, redis_client, payload):
    assert_inert(client, f"/search/?q={payload}")
    response = client.get("/search/autocomplete/", {"q": payload})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    json.loads(response.content)
