"""The view beacon and the flush, against real Redis and PostgreSQL."""

import threading
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
import redis

from news.factories import ArticlePageFactory
from news.models import ArticlePage
from readership import counting
from readership.models import ArticleDailyViews, ArticleTotalViews, ViewFlushBatch
from tests.readership.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


def stored(article) -> int:
    return ArticlePage.objects.get(pk=article.pk).view_count


def test_a_view_is_buffered_in_redis_and_flushed_to_the_article_and_the_day(
    article, beacon, redis_client, django_assert_num_queries
):
    response = beacon(article)

    assert response.status_code == 200
    assert response.json() == {"counted": True, "views": 1}
    assert redis_client.hget(counting.BUFFER, article.pk) == b"1"
    assert stored(article) == 0  # nothing written to the database by the request

    result = counting.flush_views()

    assert result == counting.FlushResult(batches=1, articles=1, views=1)
    assert stored(article) == 1
    assert list(ArticleDailyViews.objects.values_list("article_id", "day", "views")) == [
        (article.pk, timezone.localdate(), 1)
    ]
    assert redis_client.exists(counting.BUFFER) == 0
    assert redis_client.smembers(counting.BATCHES) == set()


def test_the_beacon_answers_the_stored_total_plus_what_is_buffered(article, beacon):
    ArticleTotalViews.objects.create(article=article, views=400)

    assert beacon(article, address="198.51.100.1").json() == {"counted": True, "views": 401}
    assert beacon(article, address="198.51.100.2").json() == {"counted": True, "views": 402}
    counting.flush_views()
    assert stored(article) == 402
    assert beacon(article, address="198.51.100.3").json() == {"counted": True, "views": 403}


def test_the_beacon_request_does_not_write_to_the_database(article, beacon):
    beacon(article, address="198.51.100.9")  # the stored total is now known to Redis
    with CaptureQueriesContext(connection) as queries:
        response = beacon(article, address="198.51.100.10")
    assert response.json()["counted"] is True
    assert [q["sql"] for q in queries.captured_queries] == []


def test_the_early_answered_beacon_still_carries_security_and_no_cache_headers(article, beacon):
    """Anonymous beacons skip sessions, auth and routing, but not the security middleware."""
    response = beacon(article)

    assert response.json()["counted"] is True
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")
    assert not response.cookies


def test_a_beacon_with_a_stranger_session_cookie_is_still_counted(article, client, beacon):
    """A session cookie sends the beacon through the full stack; an anonymous one counts."""
    client.cookies["sessionid"] = "not-a-real-session"
    assert beacon(article).json() == {"counted": True, "views": 1}


def test_a_repeat_view_by_the_same_visitor_within_the_window_counts_once(article, beacon):
    assert beacon(article).json() == {"counted": True, "views": 1}
    assert beacon(article).json() == {"counted": False, "views": 1}
    # Another browser on the same address is another visitor.
    assert beacon(article, user_agent=BROWSER_UA + " Edg/131").json()["counted"] is True
    counting.flush_views()
    assert stored(article) == 2


@pytest.mark.parametrize(
    ("user_agent", "headers"),
    [
        ("Googlebot/2.1 (+http://www.google.com/bot.html)", {}),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", {}),
        ("", {}),
        ("curl/8.5.0", {}),
        (BROWSER_UA, {"Sec-Purpose": "prefetch"}),
        (BROWSER_UA, {"Purpose": "prefetch"}),
        (BROWSER_UA, {"Sec-Purpose": "prefetch;prerender"}),
        (BROWSER_UA, {"Referer": "http://testserver/admin/pages/3/edit/preview/"}),
    ],
)
def test_bots_prefetches_and_previews_are_not_counted(
    article, beacon, redis_client, user_agent, headers
):
    response = beacon(article, user_agent=user_agent, **headers)

    assert response.status_code == 200
    assert response.json() == {"counted": False}
    assert redis_client.exists(counting.BUFFER) == 0
    counting.flush_views()
    assert stored(article) == 0


def test_logged_in_staff_are_not_counted(article, client, beacon, redis_client, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    client.force_login(editor)
    assert beacon(article).json() == {"counted": False}
    assert redis_client.exists(counting.BUFFER) == 0


def test_staff_views_count_when_configured(article, client, beacon, django_user_model, settings):
    settings.READERSHIP_COUNT_STAFF_VIEWS = True
    client.force_login(django_user_model.objects.create_user("editor", is_staff=True))
    assert beacon(article).json() == {"counted": True, "views": 1}


@pytest.mark.parametrize("method", ["get", "head", "put"])
def test_only_post_is_accepted(article, client, redis_client, method):
    response = getattr(client, method)("/readership/views/")
    assert response.status_code == 405
    assert redis_client.exists(counting.BUFFER) == 0


@pytest.mark.parametrize(
    "token",
    ["", "42", "not-a-token", counting.view_token(1)[:-2] + "xx", "x" * 300, "0:abc"],
)
def test_malformed_tokens_are_refused_with_400(article, client, redis_client, token):
    response = client.post(
        "/readership/views/", {"token": token}, headers={"User-Agent": BROWSER_UA}
    )
    assert response.status_code == 400
    assert response.json() == {"error": "Unknown or malformed article token."}
    assert redis_client.exists(counting.BUFFER) == 0


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://elsewhere.example"}, {"Sec-Fetch-Site": "cross-site"}, {"Origin": None}],
)
def test_cross_site_beacons_are_refused(article, beacon, redis_client, headers):
    headers = {name: value for name, value in headers.items() if value is not None}
    if not headers:  # no Origin, no Referer, no Sec-Fetch-Site at all
        response = Client().post(
            "/readership/views/",
            {"token": counting.view_token(article.pk)},
            headers={"User-Agent": BROWSER_UA},
        )
    else:
        response = beacon(article, **headers)
    assert response.status_code == 403
    assert response.json() == {"error": "Cross-site beacons are not accepted."}
    assert redis_client.exists(counting.BUFFER) == 0


def test_an_oversized_beacon_is_refused_with_413(article, client, redis_client):
    response = client.post(
        "/readership/views/",
        {"token": counting.view_token(article.pk), "junk": "x" * 5000},
        headers={"User-Agent": BROWSER_UA},
    )
    assert response.status_code == 413
    assert redis_client.exists(counting.BUFFER) == 0


def test_redis_down_answers_503_fast_and_pages_still_serve(article, client, settings, caplog):
    from ops.counters import _client

    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    _client.cache_clear()
    try:
        response = client.post(
            "/readership/views/",
            {"token": counting.view_token(article.pk)},
            headers={"User-Agent": BROWSER_UA, "Origin": "http://testserver"},
        )
        page = client.get(article.url)
    finally:
        _client.cache_clear()
    assert response.status_code == 503
    assert response.json() == {"error": "View counting is unavailable."}
    assert f"views_dropped article={article.pk}" in caplog.text
    assert page.status_code == 200


def test_concurrent_beacons_from_distinct_visitors_are_all_counted(
    transactional_db, site_tree, redis_client
):
    article = ArticlePageFactory(parent=site_tree["news"])
    token = counting.view_token(article.pk)
    visitors, threads_n = 400, 16
    errors = []

    def send(first: int) -> None:
        client = Client()
        for n in range(first, visitors, threads_n):
            response = client.post(
                "/readership/views/",
                {"token": token},
                REMOTE_ADDR=f"10.0.{n // 256}.{n % 256}",
                headers={"User-Agent": BROWSER_UA, "Origin": "http://testserver"},
            )
            if response.status_code != 200 or not response.json()["counted"]:
                errors.append(response.status_code)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    counting.flush_views()
    assert stored(article) == visitors
    assert ArticleDailyViews.objects.get(article=article).views == visitors


def test_a_crash_after_commit_before_del_is_not_counted_twice(
    article, beacon, redis_client, monkeypatch
):
    for n in range(3):
        beacon(article, address=f"192.0.2.{n}")

    def crash(key, stored):
        raise redis.ConnectionError("worker killed between commit and DEL")

    monkeypatch.setattr(counting, "_finish_batch", crash)
    with pytest.raises(redis.ConnectionError):
        counting.flush_views()
    monkeypatch.undo()
    assert stored(article) == 3
    assert len(redis_client.smembers(counting.BATCHES)) == 1  # the batch key is left behind

    beacon(article, address="192.0.2.99")
    result = counting.flush_views()

    assert result == counting.FlushResult(batches=1, articles=1, views=1)
    assert stored(article) == 4
    assert ViewFlushBatch.objects.count() == 2
    assert redis_client.smembers(counting.BATCHES) == set()


def test_a_crash_before_commit_loses_nothing(article, beacon, redis_client, monkeypatch):
    for n in range(5):
        beacon(article, address=f"192.0.2.{n}")

    def crash(chunk, day):
        raise redis.ConnectionError("worker killed mid-transaction")

    monkeypatch.setattr(counting, "_apply_chunk", crash)
    with pytest.raises(redis.ConnectionError):
        counting.flush_views()
    monkeypatch.undo()
    assert stored(article) == 0
    assert ViewFlushBatch.objects.count() == 0

    assert counting.flush_views() == counting.FlushResult(batches=1, articles=1, views=5)
    assert stored(article) == 5


def test_views_of_a_deleted_article_are_dropped_by_the_flush(site_tree, beacon, redis_client):
    kept = ArticlePageFactory(parent=site_tree["news"])
    gone = ArticlePageFactory(parent=site_tree["news"])
    beacon(kept)
    beacon(gone)
    gone.delete()

    counting.flush_views()

    assert stored(kept) == 1
    assert list(ArticleDailyViews.objects.values_list("article_id", flat=True)) == [kept.pk]
    assert redis_client.smembers(counting.BATCHES) == set()


def test_flushing_many_articles_takes_two_statements_per_chunk(site_tree, redis_client):
    articles = [ArticlePageFactory(parent=site_tree["news"]) for _ in range(3)]
    redis_client.hset(counting.BUFFER, mapping={a.pk: n + 1 for n, a in enumerate(articles)})

    with CaptureQueriesContext(connection) as queries:
        counting.flush_views()

    writes = [q["sql"] for q in queries.captured_queries if "news_articlepage" in q["sql"]]
    assert len(writes) == 2
    assert [stored(a) for a in articles] == [1, 2, 3]


def test_most_read_ranks_published_articles_by_recent_views(site_tree):
    news = site_tree["news"]
    today = timezone.localdate()
    top = ArticlePageFactory(parent=news, title="Top story")
    second = ArticlePageFactory(parent=news, title="Second story")
    old = ArticlePageFactory(parent=news, title="Old favourite")
    draft = ArticlePageFactory(parent=news, title="Draft", draft=True)
    expired = ArticlePageFactory(
        parent=news, title="Expired", expire_at=timezone.now() - timedelta(hours=1)
    )
    ArticleDailyViews.objects.bulk_create(
        [
            ArticleDailyViews(article=top, day=today, views=50),
            ArticleDailyViews(article=second, day=today - timedelta(days=1), views=20),
            ArticleDailyViews(article=old, day=today - timedelta(days=5), views=900),
            ArticleDailyViews(article=draft, day=today, views=1000),
            ArticleDailyViews(article=expired, day=today, views=1000),
        ]
    )

    day = [(a.title, a.recent_views) for a in counting.most_read(days=1)]
    week = [(a.title, a.recent_views) for a in counting.most_read(days=7)]

    assert day == [("Top story", 50), ("Second story", 20)]
    assert week == [("Old favourite", 900), ("Top story", 50), ("Second story", 20)]


def test_publishing_an_older_revision_keeps_the_counted_views(article, beacon):
    revision = article.save_revision()
    beacon(article)
    counting.flush_views()

    revision.publish()

    assert stored(article) == 1


def test_one_address_cannot_push_a_story_up_most_read_by_changing_its_user_agent(
    article, beacon, redis_client, settings
):
    """The attack: the page's token posted with the site's Origin and a new User-Agent each
    time. Each is a new visitor, but one address's counted views of one story stop at the daily
    allowance, which an office of that many readers still fills."""
    allowance = 50  # readership.conf.views_per_address_per_day's default, documented in SECURITY.md
    answers = [
        beacon(article, address="198.51.100.20", user_agent=f"{BROWSER_UA} n/{n}").json()
        for n in range(allowance + 10)
    ]
    assert [a["counted"] for a in answers] == [True] * allowance + [False] * 10
    assert answers[-1]["views"] == allowance

    # A reader at another address is counted as usual, and the flush stores what was counted.
    assert beacon(article, address="198.51.100.21").json() == {
        "counted": True,
        "views": allowance + 1,
    }
    counting.flush_views()
    assert stored(article) == allowance + 1
