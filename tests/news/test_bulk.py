from wagtail.models import Page

import pytest

from news.bulk import seed_articles
from news.factories import NewsIndexPageFactory, StaffProfilePageFactory
from news.models import ArticlePage


@pytest.fixture
def sections(site_tree):
    StaffProfilePageFactory(parent=site_tree["staff"], title="Ada Bulk")
    return [
        NewsIndexPageFactory(parent=site_tree["news"], title="World"),
        NewsIndexPageFactory(parent=site_tree["news"], title="Science"),
    ]


@pytest.mark.django_db
def test_bulk_articles_are_valid_published_pages_readers_can_open_and_search(client, sections):
    created = seed_articles(count=25, seed=7, batch_size=10)

    assert created == 25
    assert ArticlePage.objects.published().count() == 25
    assert Page.find_problems() == ([], [], [], [], [])
    article = ArticlePage.objects.published().newest_first().first()
    assert article.bylines.count() >= 1
    assert article.tags.exists()
    response = client.get(article.url)
    assert response.status_code == 200
    assert article.title in response.content.decode()
    headline_word = article.title.split()[0].lower()
    assert article in ArticlePage.objects.published().search(headline_word)


@pytest.mark.django_db
def test_bulk_seeding_twice_adds_to_the_tree_without_path_clashes(sections):
    seed_articles(count=6, seed=1)
    seed_articles(count=6, seed=1)

    assert ArticlePage.objects.count() == 12
    assert Page.find_problems() == ([], [], [], [], [])
    for section in sections:
        section.refresh_from_db()
        assert section.numchild == ArticlePage.objects.child_of(section).count()
