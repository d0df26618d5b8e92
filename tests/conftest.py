"""Shared fixtures: a site tree, a real Celery worker on the real broker, a clean Redis."""

import os

from django.conf import settings

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Collection, Locale, Page, Site

import pytest
import redis

from news.factories import HomePageFactory, NewsIndexPageFactory, StaffIndexPageFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty page/rendition cache: ids repeat between tests, and a
    rendition or page cached by an earlier test would otherwise be served to this one."""
    cache_client = redis.Redis.from_url(settings.CACHE_REDIS_URL)
    cache_client.flushdb()
    cache_client.close()


@pytest.fixture
def redis_client():
    """The broker/counter Redis database, emptied before and after the test."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    cache_client = redis.Redis.from_url(settings.CACHE_REDIS_URL)
    client.flushdb()
    cache_client.flushdb()
    yield client
    client.flushdb()
    cache_client.flushdb()
    client.close()
    cache_client.close()


@pytest.fixture
def wagtail_root(db):
    """Wagtail's root page and default locale.

    Migrations create them, but a transactional test starts from flushed tables.
    """
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture
def site_tree(wagtail_root):
    """Home page as the default site's root, with an "All news" index and a staff index."""
    root = wagtail_root
    home = HomePageFactory(parent=root, slug="front")
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home}
    )
    Site.objects.exclude(root_page=home).delete()
    news = NewsIndexPageFactory(parent=home, title="News", slug="news")
    staff = StaffIndexPageFactory(parent=home)
    return {"home": home, "news": news, "staff": staff}


@pytest.fixture
def celery_worker_instance(transactional_db, redis_client):
    """A real Celery worker thread consuming from the real Redis broker.

    It shares the test database through its own connection, so tests that use it are
    transactional (data is committed, not hidden in a test transaction).
    """
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING") as worker:
        yield worker


def pytest_report_header(config):
    return [
        f"database: {settings.DATABASES['default'].get('HOST') or 'local socket'}",
        f"redis: {os.environ.get('REDIS_URL', settings.REDIS_URL)}",
    ]
