"""An article's all-time views live in readership, not on the revisioned page: no publish,
revert or save can roll them back, and listings read them with the articles."""

import pytest

from news.factories import ArticlePageFactory
from news.models import ArticlePage
from readership import counting
from readership.models import ArticleTotalViews

pytestmark = pytest.mark.django_db


def test_publishing_an_older_revision_leaves_the_view_total_alone(article, beacon, redis_client):
    first = article.save_revision()
    first.publish()
    article.title = "Harbour bridge reopens after repairs"
    article.save_revision().publish()
    for address in ("198.51.100.1", "198.51.100.2", "198.51.100.3"):
        beacon(article, address=address)
    counting.flush_views()
    assert ArticlePage.objects.get(pk=article.pk).view_count == 3

    first.publish()  # the editor rolls the headline back

    restored = ArticlePage.objects.get(pk=article.pk)
    assert restored.title == "Harbour bridge reopens"
    assert restored.view_count == 3
    assert list(ArticleTotalViews.objects.values_list("article_id", "views")) == [(article.pk, 3)]


def test_a_page_save_writes_no_view_total(article):
    ArticleTotalViews.objects.create(article=article, views=12)
    page = ArticlePage.objects.get(pk=article.pk)

    page.title = "Harbour bridge reopens to cyclists"
    page.save()

    assert ArticlePage.objects.get(pk=article.pk).view_count == 12
    assert ArticleTotalViews.objects.count() == 1


def test_an_article_never_viewed_shows_no_views(article):
    assert ArticlePage.objects.get(pk=article.pk).view_count == 0
    assert not ArticleTotalViews.objects.exists()


def test_a_listing_reads_every_total_in_its_own_query(site_tree, django_assert_num_queries):
    articles = [ArticlePageFactory(parent=site_tree["news"]) for _ in range(3)]
    for views, article in enumerate(articles[:2], start=5):
        ArticleTotalViews.objects.create(article=article, views=views)

    with django_assert_num_queries(1):
        totals = [a.view_count for a in ArticlePage.objects.with_view_counts().order_by("pk")]

    assert totals == [5, 6, 0]
