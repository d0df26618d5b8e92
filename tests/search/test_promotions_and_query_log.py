"""Editor's picks on results, and the popular-searches report fed from a Redis buffer."""

import datetime as dt
import time

from django.contrib.auth import get_user_model
from django.utils import timezone

from wagtail.contrib.search_promotions.models import Query, QueryDailyHits, SearchPromotion

import pytest

from config.celery import app
from search.querylog import PENDING_PREFIX, flush_query_hits, record_search
from search.tasks import flush_query_hits_task

pytestmark = pytest.mark.django_db


def test_editors_pick_is_shown_above_results(client, publish, redis_client):
    pick = publish("Everything you need to know about the ferry strike")
    publish("Ferry strike enters second day")
    SearchPromotion.objects.create(
        query=Query.get("Ferry Strike"), page=pick, description="Our explainer.", sort_order=0
    )
    SearchPromotion.objects.create(
        query=Query.get("ferry strike"),
        external_link_url="https://transport.example.org/strike",
        external_link_text="Operator's strike timetable",
        sort_order=1,
    )

    response = client.get("/search/", {"q": "  ferry   STRIKE "})

    assert [(p.title, p.description) for p in response.context["promotions"]] == [
        ("Everything you need to know about the ferry strike", "Our explainer."),
        ("Operator's strike timetable", ""),
    ]
    html = response.content.decode()
    assert html.index("Editor’s picks") < html.index('class="search-count"')
    assert 'href="https://transport.example.org/strike"' in html


def test_pick_of_an_unpublished_or_expired_page_is_hidden(client, publish, redis_client):
    draft = publish("Strike explainer draft", draft=True)
    expired = publish("Old strike story", expire_at=timezone.now() - dt.timedelta(minutes=1))
    for page in (draft, expired):
        SearchPromotion.objects.create(query=Query.get("strike"), page=page)

    response = client.get("/search/", {"q": "strike"})

    assert response.context["promotions"] == []
    assert "Strike explainer draft" not in response.content.decode()


def test_searches_are_buffered_in_redis_not_written_per_request(client, publish, redis_client):
    for n in range(21):
        publish(f"Harbour report {n}")

    client.get("/search/", {"q": "Harbour"})
    client.get("/search/", {"q": "harbour "})
    client.get("/search/", {"q": "ferry"})
    client.get("/search/", {"q": "harbour", "page": "2"})  # later pages are not new searches

    assert Query.objects.count() == 0
    assert QueryDailyHits.objects.count() == 0
    today = timezone.localdate().isoformat()
    assert redis_client.hgetall(PENDING_PREFIX + today) == {b"harbour": b"2", b"ferry": b"1"}


def test_flush_moves_counts_into_wagtails_query_log(redis_client, db):
    today = timezone.localdate()
    for _ in range(3):
        record_search("harbour")
    record_search("ferry")
    Query.get("harbour").add_hit(today)  # an earlier flush already counted one

    assert flush_query_hits() == 4
    assert flush_query_hits() == 0  # nothing left: a second run adds nothing

    hits = {
        (row.query.query_string, row.date): row.hits
        for row in QueryDailyHits.objects.select_related("query")
    }
    assert hits == {("harbour", today): 4, ("ferry", today): 1}
    assert [q.query_string for q in Query.get_most_popular()] == ["harbour", "ferry"]


def test_a_flush_left_half_done_is_finished_by_the_next_run(redis_client, db):
    today = timezone.localdate().isoformat()
    redis_client.hset(f"search:hits:flushing:{today}:deadbeef", "harbour", 5)
    record_search("harbour")

    assert flush_query_hits() == 6
    assert QueryDailyHits.objects.get(query__query_string="harbour").hits == 6


def test_popular_searches_report_lists_flushed_queries(client, redis_client, db):
    for _ in range(2):
        record_search("harbour")
    flush_query_hits()
    client.force_login(
        get_user_model().objects.create_superuser("chief", "chief@example.com", "pw-long-enough-1")
    )

    response = client.get("/admin/searchpicks/reports/search-terms/")

    assert response.status_code == 200
    assert [(row.query_string, row._hits) for row in response.context["object_list"]] == [
        ("harbour", 2)
    ]


def test_flush_is_on_the_beat_schedule_with_an_expiry():
    entry = app.conf.beat_schedule["search-flush-query-hits"]

    assert entry["task"] == flush_query_hits_task.name == "search.flush_query_hits"
    assert entry["options"]["expires"] == 60.0


@pytest.mark.worker
def test_flush_runs_on_a_real_worker(celery_worker_instance):
    record_search("harbour")

    flush_query_hits_task.delay()

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not QueryDailyHits.objects.exists():
        time.sleep(0.1)
    assert QueryDailyHits.objects.get(query__query_string="harbour").hits == 1
