"""The search box's JSON suggestions: published headlines, tags in use, public authors."""

import datetime as dt

from django.utils import timezone

import pytest

from ops.counters import _client
from search.views import AUTOCOMPLETE_PER_CLIENT

pytestmark = pytest.mark.django_db


def suggest(client, text, **extra):
    response = client.get("/search/autocomplete/", {"q": text}, **extra)
    assert response.status_code == 200
    return [(s["kind"], s["label"], s["url"]) for s in response.json()["suggestions"]]


def test_suggests_headlines_tags_and_authors_by_prefix(client, publish, profile, redis_client):
    rivera = profile("Harriet Rivera")
    publish("Harbour bridge reopens", tags=["Harbours"], authors=[rivera])
    publish("Ferry timetable changes")

    assert suggest(client, "harb") == [
        ("headline", "Harbour bridge reopens", "/news/harbour-bridge-reopens/"),
        ("tag", "Harbours", "/search/?tag=harbours"),
    ]
    assert suggest(client, "harr") == [
        ("author", "Harriet Rivera", "/staff/harriet-rivera/"),
    ]
    assert suggest(client, "harbour bri") == [
        ("headline", "Harbour bridge reopens", "/news/harbour-bridge-reopens/")
    ]


def test_needs_two_characters(client, publish, redis_client):
    publish("Harbour bridge reopens")

    assert suggest(client, "h") == []
    assert suggest(client, "") == []


def test_never_suggests_what_readers_may_not_see(client, publish, profile, redis_client):
    publish("Harbour draft story", draft=True, tags=["Harbour secrets"])
    publish("Harbour expired story", expire_at=timezone.now() - dt.timedelta(minutes=1))
    draft_profile = profile("Harbourmaster Unpublished")
    draft_profile.unpublish()

    assert suggest(client, "harb") == []


def test_rate_limited_per_client_address(client, publish, redis_client):
    publish("Harbour bridge reopens")

    for _ in range(AUTOCOMPLETE_PER_CLIENT.max_hits):
        assert client.get("/search/autocomplete/", {"q": "harb"}).status_code == 200
    refused = client.get("/search/autocomplete/", {"q": "harb"})
    other_client = client.get("/search/autocomplete/", {"q": "harb"}, REMOTE_ADDR="10.0.0.9")

    assert refused.status_code == 429
    assert refused["Retry-After"] == "10"
    assert refused.json() == {"error": "Too many requests; try again shortly."}
    assert other_client.status_code == 200


def test_fails_open_and_logs_when_redis_is_down(client, publish, settings, caplog, redis_client):
    publish("Harbour bridge reopens")
    _client.cache_clear()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        response = client.get("/search/autocomplete/", {"q": "harb"})
    finally:
        _client.cache_clear()

    assert response.status_code == 200
    assert [s["label"] for s in response.json()["suggestions"]] == ["Harbour bridge reopens"]
    assert "rate_limit_unavailable limits=autocomplete policy=open" in caplog.text
