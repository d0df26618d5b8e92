"""The article page reads its stored list in a fixed number of queries."""

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Collection

import pytest
import redis

from news import related
from news.factories import ArticlePageFactory, NewsImageFactory, StaffProfilePageFactory

pytestmark = pytest.mark.django_db


def test_the_list_costs_the_same_queries_for_one_story_or_six(
    site_tree, client, django_assert_max_num_queries, redis_client
):
    Collection.get_first_root_node() or Collection.add_root(name="Root")  # flushed by other tests
    news = site_tree["news"]
    stories = [
        ArticlePageFactory(parent=news, title=f"Lava story {n}", lead_image=NewsImageFactory())
        for n in range(7)
    ]
    short, full = ArticlePageFactory(parent=news), ArticlePageFactory(parent=news)
    for article in [*stories, short, full]:
        related.index_article(article=article)
    related.replace_related(
        article_id=short.pk, suggestions=[related.Suggestion(stories[0].pk, 0.5, "scored")]
    )
    related.replace_related(
        article_id=full.pk,
        suggestions=[related.Suggestion(s.pk, 0.5, "scored") for s in stories[1:]],
    )
    client.get(short.url), client.get(full.url)  # renditions are made on the first view
    redis.Redis.from_url(settings.CACHE_REDIS_URL).flushdb()  # or the page cache answers

    with CaptureQueriesContext(connection) as one:
        response = client.get(short.url)
    assert response.context["continue_reading"] == [stories[0]]
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(full.url)

    assert response.context["continue_reading"] == stories[1:]
    html = response.content.decode()
    assert html.count('class="card__title"') == 6
    assert 'aria-labelledby="continue-heading"' in html


def test_continue_reading_cards_name_their_authors(site_tree, client):
    news, staff = site_tree["news"], site_tree["staff"]
    first = StaffProfilePageFactory(parent=staff, title="Ada Byline", slug="ada-byline")
    second = StaffProfilePageFactory(parent=staff, title="Ben Byline", slug="ben-byline")
    story = ArticlePageFactory(parent=news, title="Card story", authors=[first, second])
    article = ArticlePageFactory(parent=news, title="Reading now")
    for page in (story, article):
        related.index_article(article=page)
    related.replace_related(
        article_id=article.pk, suggestions=[related.Suggestion(story.pk, 0.5, "scored")]
    )

    html = client.get(article.url).content.decode()

    card = html.split('aria-labelledby="continue-heading"')[1]
    assert "Card story" in card
    assert "· Ada Byline, Ben Byline\n" in card
