""" "All news" is one query: the top section of a site, never a section filed below it."""

import pytest

from news.factories import NewsIndexPageFactory
from news.models import NewsIndexPage

pytestmark = pytest.mark.django_db


def test_all_news_is_the_top_section_only(site_tree):
    world = NewsIndexPageFactory(parent=site_tree["news"], title="World")

    assert list(NewsIndexPage.objects.all_news()) == [site_tree["news"]]
    assert site_tree["news"].is_all_news
    assert not world.is_all_news
