"""Query budgets: each public page type runs a fixed number of SQL queries on a cold cache, however
many tags, authors, corrections, body blocks, images, "Continue reading" cards or listed articles
it shows.

Each page is rendered in a "small" and a "large" world and must cost exactly its budget in both.
The cache is emptied before each request (cold: renditions and Wagtail's site root paths are
cached in Redis too) and the page cache is bypassed, so the view itself runs.
"""

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from taggit.models import Tag
from wagtail.models import Collection
from wagtail.rich_text import RichText
from wagtail.search import index

import pytest

from news.caching import path_key
from news.factories import (
    ArticleCorrectionFactory,
    ArticlePageFactory,
    NewsImageFactory,
    SourceFactory,
    StaffProfilePageFactory,
)
from news.models import BreakingNews, RelatedArticle

# The budget of each page type (cold cache). Listing budgets hold from one to a full page.
# A front (home, a section's first page) adds its slots: sections with their newest ids, the
# front's newest ids, the cards, their renditions, most read, live coverage and a topic block's
# stories (news.fronts). Every page with the site's header reads its sections once
# (news.navigation): one query more each on a cold cache than before the header listed them.
BUDGETS = {
    "home": 18,
    "news_index": 16,
    "news_index_page_2": 10,
    "tag": 11,
    "article": 15,
    "staff_index": 11,
    "staff_profile": 17,
    "search": 14,  # ranked ids on the index table, then the 20 articles shown
    "sitemap": 10,
}
# What a reader pays after a publish: the site, its root page, the sections on the way, view
# restrictions, site settings and Wagtail's site root paths are still in the cache.
ARTICLE_AFTER_PURGE = 8


def body(size: int, images: list) -> list:
    blocks = []
    for number in range(size):
        blocks.append(("paragraph", RichText(f"<p>Paragraph {number} of the story.</p>")))
        blocks.append(("heading", {"text": f"Part {number}", "level": "h2"}))
        blocks.append(("quote", {"text": "A quote.", "attribution": "Someone"}))
        blocks.append(("fact_box", {"title": "Facts", "facts": ["One", "Two"]}))
    for image in images:
        blocks.append(("image", {"image": {"image": image, "alt_text": "x"}, "caption": "c"}))
    return blocks


def build_world(site_tree, size: int):
    """A newsroom with `size` of everything a page may list."""
    news, staff, home = site_tree["news"], site_tree["staff"], site_tree["home"]
    if not Collection.get_first_root_node():  # transactional tests flush the root collection
        Collection.add_root(name="Root")
    images = [NewsImageFactory() for _ in range(size)]
    authors = [
        StaffProfilePageFactory(parent=staff, title=f"Reporter {n}", photo=images[n])
        for n in range(size)
    ]
    tags = [f"topic-{n}" for n in range(size)]
    articles = []
    for number in range(12 * size + 1):
        articles.append(
            ArticlePageFactory(
                parent=news,
                title=f"Story {number}",
                lead_image=images[number % size],
                authors=authors,
                tags=tags,
                source=SourceFactory(name="Wire"),
            )
        )
    article = articles[-1]
    article.body = body(size, images)
    article.save()
    for _ in range(size):
        ArticleCorrectionFactory(page=article)
    for rank, story in enumerate(articles[:size], start=1):  # its "Continue reading" cards
        RelatedArticle.objects.create(
            article=article,
            related=story,
            rank=rank,
            score=1.0,
            reason=RelatedArticle.Reason.SCORED,
            computed_at=timezone.now(),
        )
    for story in articles:
        index.insert_or_update_object(story)
    # The home page's front as the editors arranged it: a topic block per tag over the
    # automatic slots (lead, live coverage, most read, latest).
    home = home.specific
    home.front = [
        {"type": "lead", "value": {"story": None, "beside": []}},
        {"type": "live_coverage", "value": {"title": "Live"}},
        {"type": "most_read", "value": {"title": "Most read", "days": "1"}},
        {"type": "latest", "value": {"title": "Latest", "count": 12}},
        *(
            {"type": "topic", "value": {"title": tag.name, "tag": tag.slug}}
            for tag in Tag.objects.filter(name__in=tags)
        ),
    ]
    home.save_revision().publish()
    BreakingNews.objects.create(
        headline="Breaking", link=article, ends_at=timezone.now() + timezone.timedelta(hours=1)
    )
    return {
        "home": "/",
        "news_index": "/news/",
        "news_index_page_2": "/news/?page=2",
        "tag": "/news/tag/topic-0/",
        "article": article.url,
        "staff_index": "/staff/",
        "staff_profile": authors[0].url,
        "search": "/search/?q=story",
        "sitemap": "/sitemap.xml",
    }


def cold_queries(client, url: str) -> int:
    """Queries of one request with Redis empty (renditions already exist, as in production)."""
    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    assert response.get("X-Cache") != "HIT"
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 4])
def test_every_public_page_runs_its_fixed_number_of_queries(client, site_tree, redis_client, size):
    urls = build_world(site_tree, size)

    counts = {name: cold_queries(client, url) for name, url in urls.items()}

    assert counts == BUDGETS


@pytest.mark.django_db
def test_an_article_after_a_purge_costs_fewer_queries(client, site_tree, redis_client):
    """What a reader pays after a publish: only the page itself left the cache."""
    url = build_world(site_tree, 4)["article"]
    client.get(url)
    cache.delete(path_key(url))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert response["X-Cache"] == "MISS"
    assert len(queries) == ARTICLE_AFTER_PURGE
