import datetime as dt

from django.utils import timezone

import pytest

from news.factories import ArticlePageFactory, StaffProfilePageFactory, paragraphs
from search.indexing import update_article_index


@pytest.fixture
def publish(site_tree, django_capture_on_commit_callbacks):
    """Create an article and index it in-process with what the worker's task runs (the
    wiring through a real worker is proven in test_index_updates.py)."""

    def make(title, *, body=(), dek="", **kwargs):
        kwargs.setdefault("parent", site_tree["news"])
        with django_capture_on_commit_callbacks(execute=True):
            article = ArticlePageFactory(
                title=title, dek=dek, body=paragraphs(list(body)), **kwargs
            )
        update_article_index(article.pk)
        return article

    return make


@pytest.fixture
def profile(site_tree, django_capture_on_commit_callbacks):
    def make(name, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return StaffProfilePageFactory(parent=site_tree["staff"], title=name, **kwargs)

    return make


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)
