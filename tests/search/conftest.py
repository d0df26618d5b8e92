import datetime as dt

from django.utils import timezone

import pytest

from news.factories import ArticlePageFactory, StaffProfilePageFactory, paragraphs


@pytest.fixture
def publish(site_tree, django_capture_on_commit_callbacks):
    """Create an article and let Wagtail's on-commit index update run, as in production."""

    def make(title, *, body=(), dek="", **kwargs):
        kwargs.setdefault("parent", site_tree["news"])
        with django_capture_on_commit_callbacks(execute=True):
            return ArticlePageFactory(title=title, dek=dek, body=paragraphs(list(body)), **kwargs)

    return make


@pytest.fixture
def profile(site_tree, django_capture_on_commit_callbacks):
    def make(name, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return StaffProfilePageFactory(parent=site_tree["staff"], title=name, **kwargs)

    return make


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)
