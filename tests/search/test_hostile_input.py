"""Whatever a reader types, the search page and autocomplete answer without a server error
and without a database error in the log."""

import logging

import pytest

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    "   ",
    "a" * 10_000,
    "harbour " * 500,
    "Zürich Ångström naïve café",
    "東京 港",
    "🚢⚓️🌊 harbour 👩🏽‍🚒",
    '"harbour',
    "'harbour'",
    '"" "\'"',
    "harbour & bridge | !ferry",
    "&|!:*<->()",
    "harbour:*",
    "!!!",
    "<->",
    "a <-> b <2> c",
    "'; DROP TABLE wagtailcore_page; --",
    "1 OR 1=1",
    "harbour\\",
    "\\'\\\"",
    "har\x00bour",
    "\x00" * 50,
    "\x01\x02\x1f\x7f",
    "%_%",
    "the and of",
    "a:b:c:d",
    "x" * 3000 + " harbour",
]


@pytest.fixture
def no_errors_logged(caplog):
    caplog.set_level(logging.WARNING)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors]


@pytest.fixture
def a_story(publish):
    return publish("Harbour bridge reopens", dek="Ferry traffic returns.")


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_search_page_never_fails(client, a_story, no_errors_logged, text):
    response = client.get("/search/", {"q": text})

    assert response.status_code == 200


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_autocomplete_never_fails(client, a_story, no_errors_logged, text, redis_client):
    response = client.get("/search/autocomplete/", {"q": text})

    assert response.status_code == 200
    assert isinstance(response.json()["suggestions"], list)


def test_operators_are_words_not_syntax(client, a_story, no_errors_logged):
    response = client.get("/search/", {"q": "harbour & !ferry"})

    assert [a.title for a in response.context["results"]] == ["Harbour bridge reopens"]


def test_sql_like_input_finds_nothing_and_changes_nothing(client, a_story, no_errors_logged):
    from news.models import ArticlePage

    response = client.get("/search/", {"q": "'; DELETE FROM wagtailcore_page; --"})

    assert response.context["results"].paginator.count == 0
    assert ArticlePage.objects.count() == 1


def test_long_query_is_truncated_with_a_message(client, a_story, no_errors_logged):
    response = client.get("/search/", {"q": "harbour " + "x" * 10_000})

    assert response.context["search_query"] == "harbour " + "x" * 192
    assert (
        "Your search was too long, so only its first 200 characters were used."
        in response.content.decode()
    )


def test_nul_bytes_are_dropped_from_the_query(client, a_story, no_errors_logged):
    response = client.get("/search/", {"q": "har\x00bour"})

    assert response.context["search_query"] == "har bour"


def test_unicode_and_accents_are_searchable(client, publish, no_errors_logged):
    publish("Zürich café reopens 🚢")

    response = client.get("/search/", {"q": "zürich"})

    assert [a.title for a in response.context["results"]] == ["Zürich café reopens 🚢"]


def test_post_is_refused(client, no_errors_logged, db):
    assert client.post("/search/", {"q": "x"}).status_code == 405
