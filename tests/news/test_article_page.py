"""The article page: every element in the reference order, every body block, a flat query count."""

import json
import re
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed

import pytest
import redis

from news.factories import (
    ArticleCorrectionFactory,
    ArticlePageFactory,
    NewsImageFactory,
    StaffProfilePageFactory,
)
from readership.models import ArticleTotalViews

pytestmark = pytest.mark.django_db
EMBED_URL = "https://www.youtube.com/watch?v=masthead"


def body(*, images, related, repeat: int = 1) -> str:
    """Raw StreamField JSON with every block type, `repeat` times over."""
    blocks = [
        {"type": "embed", "value": EMBED_URL},  # embeds are looked up one by one: keep one
    ]
    for n in range(repeat):
        blocks += [
            {"type": "paragraph", "value": f"<p>Paragraph {n} with <b>bold</b> text.</p>"},
            {"type": "heading", "value": {"text": f"Section {n}", "level": "h2"}},
            {"type": "heading", "value": {"text": f"Detail {n}", "level": "h3"}},
            {
                "type": "image",
                "value": {
                    "image": {"image": images[n].pk, "decorative": False, "alt_text": f"Crowd {n}"},
                    "caption": f"Figure caption {n}",
                },
            },
            {
                "type": "quote",
                "value": {
                    "text": f"Quote {n}",
                    "attribution": f"Speaker {n}",
                    "is_pull_quote": n % 2 == 0,
                },
            },
            {
                "type": "related_link",
                "value": {"page": related.pk, "url": "", "title": f"Related {n}"},
            },
            {
                "type": "related_link",
                "value": {
                    "page": None,
                    "url": "https://example.org/report",
                    "title": f"Report {n}",
                },
            },
            {"type": "fact_box", "value": {"title": f"Facts {n}", "facts": ["One", "Two"]}},
        ]
    return json.dumps(blocks)


@pytest.fixture
def embed():
    return Embed.objects.create(
        url=EMBED_URL,
        hash=get_embed_hash(EMBED_URL),
        type="video",
        html='<iframe src="https://www.youtube-nocookie.com/embed/x" title="Harbour video"></iframe>',
        title="Harbour video",
    )


def make_article(site_tree, *, slug, size: int):
    """An article with `size` tags, authors, corrections and rounds of body blocks."""
    related = ArticlePageFactory(parent=site_tree["news"], slug=f"{slug}-related")
    authors = [
        StaffProfilePageFactory(
            parent=site_tree["staff"],
            slug=f"{slug}-author-{n}",
            photo=NewsImageFactory() if n % 2 else None,
        )
        for n in range(size)
    ]
    images = [NewsImageFactory() for _ in range(size)]
    article = ArticlePageFactory(
        parent=site_tree["news"],
        slug=slug,
        lead_image=NewsImageFactory(),
        tags=[f"{slug}-tag-{n}" for n in range(size)],
        authors=authors,
        body=body(images=images, related=related, repeat=size),
    )
    for n in range(size):
        ArticleCorrectionFactory(page=article, note=f"Correction {n}")
    return article


def flush_cache():
    redis.Redis.from_url(settings.CACHE_REDIS_URL).flushdb()


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_tags_authors_corrections_or_blocks(
    client, site_tree, embed, django_assert_num_queries
):
    make_article(site_tree, slug="small", size=1)
    make_article(site_tree, slug="large", size=5)
    # Renditions are made on a story's first view (as right after publishing); then go cold.
    client.get("/news/small/")
    client.get("/news/large/")
    flush_cache()
    small = query_count(client, "/news/small/")
    flush_cache()

    with django_assert_num_queries(small):
        response = client.get("/news/large/")

    html = response.content.decode()
    assert html.count('class="author-box"') == 5
    assert html.count("Correction 4</li>") == 1
    assert html.count('class="fact-box"') == 5
    assert html.count('class="chip"') == 5


def test_article_shows_everything_in_order(client, full_article):
    full_article.updated_at = datetime(2030, 1, 2, 15, 30, tzinfo=UTC)
    full_article.save()
    # Views are written by the readership flush only, into readership's own table.
    ArticleTotalViews.objects.create(article=full_article, views=1234)

    html = client.get("/news/flood-barrier-holds/").content.decode()

    landmarks = [
        'class="skip-link" href="#main"',
        '<nav class="site-nav" aria-label="Sections">',
        '<nav class="breadcrumbs wrap" aria-label="Breadcrumb">',
        '<p class="kicker"><a href="/news/tag/climate/">climate</a></p>',
        '<h1 id="headline">Flood barrier holds as river peaks</h1>',
        '<p class="article__dek">Engineers say the new gates worked as designed.</p>',
        '<p class="byline__names">By <a href="/staff/ada-byline/" rel="author">Ada Byline</a>'
        ' and <a href="/staff/bo-chen/" rel="author">Bo Chen</a></p>',
        'class="article__date"',
        "<li>1 min read</li>",
        "<li><span data-view-count>1234</span> views</li>",
        "<li>2 tags</li>",
        '<h2 class="share__heading" id="share-heading">Share this story</h2>',
        '<figure class="article__lead">',
        'Originally reported by <a href="https://herald.example.com/flood" rel="noopener">City Herald</a>',
        'class="article__body"',
        'id="corrections-heading">Correction</h2>',
        '<nav class="tags" aria-label="Tags">',
        '<aside class="author-box" aria-label="About Ada Byline">',
        '<aside class="author-box" aria-label="About Bo Chen">',
        "What did you think of this story?",
        'id="comments-heading"',
        '<a class="button" href="/news/">View all news</a>',
    ]
    positions = [html.index(landmark) for landmark in landmarks]
    assert positions == sorted(positions)

    assert (
        'Updated <time datetime="2030-01-02T15:30:00+00:00">2 January 2030, 15:30 GMT</time>'
        in html
    )
    assert "An earlier version misspelt the engineer&#x27;s name." in html
    assert '<a class="chip" href="/news/tag/climate/">climate</a>' in html
    assert '<a class="chip" href="/news/tag/floods/">floods</a>' in html
    assert '<span class="avatar avatar--initials" aria-hidden="true">AB</span>' in html
    assert re.search(r'<img alt="" class="avatar" height="96" src="[^"]+fill-96x96', html)
    assert "<p>Ada Byline covers the city for Masthead.</p>" in html
    assert (
        'href="/staff/ada-byline/">View all posts<span class="visually-hidden"> by Ada Byline'
        in html
    )
    # The lead picture: AVIF and WebP sources, JPEG fallback with width, height and alt text.
    lead = html[html.index('<figure class="article__lead">') : html.index("</figure>")]
    assert 'type="image/avif"' in lead and 'type="image/webp"' in lead
    assert re.search(
        r'<img alt="The flood barrier at dawn" fetchpriority="high" height="\d+"', lead
    )
    assert 'The gates closed at 4am. <span class="credit">Photo: Jo Snap</span>' in lead


def test_no_updated_notice_without_a_material_change(client, full_article):
    html = client.get("/news/flood-barrier-holds/").content.decode()
    assert "Updated" not in html


def test_author_boxes_and_structured_data_follow_the_byline_order(client, site_tree, reporter):
    first = StaffProfilePageFactory(parent=site_tree["staff"], title="Zoe First", role="Editor")
    story = ArticlePageFactory(parent=site_tree["news"], authors=[first, reporter])

    html = client.get(story.url).content.decode()

    boxes = re.findall(r'<p class="author-box__name">([^<]+)</p>', html)
    assert boxes == ["Zoe First", reporter.title]
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.+?)</script>', html).group(1)
    )
    assert [author["name"] for author in data["author"]] == ["Zoe First", reporter.title]


def test_every_body_block_renders(client, site_tree, embed):
    make_article(site_tree, slug="blocks", size=1)

    html = client.get("/news/blocks/").content.decode()
    body_html = html[html.index('class="article__body"') : html.index("corrections-heading")]

    assert "<p>Paragraph 0 with <b>bold</b> text.</p>" in body_html
    assert "<h2>Section 0</h2>" in body_html and "<h3>Detail 0</h3>" in body_html
    assert re.search(r'<img alt="Crowd 0" decoding="async" height="\d+" loading="lazy"', body_html)
    assert 'srcset="' in body_html and "<figcaption>Figure caption 0" in body_html
    assert (
        '<figure class="quote quote--pull"><blockquote><p>Quote 0</p></blockquote><figcaption>— Speaker 0</figcaption></figure>'
        in body_html
    )
    assert '<a href="/news/blocks-related/">Related 0</a>' in body_html
    assert '<a href="https://example.org/report" rel="noopener">Report 0</a>' in body_html
    assert (
        '<aside class="fact-box" aria-label="Facts 0"><h2 class="fact-box__title">Facts 0</h2><ul><li>One</li><li>Two</li></ul></aside>'
        in body_html
    )
    assert 'title="Harbour video"' in body_html


def test_related_link_to_an_unpublished_story_is_not_shown(client, site_tree, embed):
    article = make_article(site_tree, slug="blocks", size=1)
    related = next(
        block.value["page"]
        for block in article.body
        if block.block_type == "related_link" and block.value["page"]
    )
    related.unpublish()

    html = client.get("/news/blocks/").content.decode()
    assert "Related 0" not in html
    assert "Report 0" in html
