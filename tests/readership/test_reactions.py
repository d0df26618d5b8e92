"""Reactions: one per browser per article, changeable, counts after voting, cached-page safe."""

import pytest

from news.factories import ArticlePageFactory
from readership.models import Reaction
from tests.readership.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json", "User-Agent": BROWSER_UA, "Origin": "http://testserver"}


def react(client, article, kind, **headers):
    return client.post(
        f"/readership/reactions/{article.pk}/", {"kind": kind}, headers={**JSON, **headers}
    )


def test_a_reader_votes_sees_the_counts_and_can_change_their_mind(client, article, redis_client):
    first = react(client, article, "informative")

    assert first.status_code == 200
    assert first.json() == {
        "chosen": "informative",
        "counts": {"informative": 1, "not_informative": 0, "want_more": 0},
    }
    assert first.cookies["mh_visitor"]["httponly"]

    second = react(client, article, "want_more")

    assert second.json()["counts"] == {"informative": 0, "not_informative": 0, "want_more": 1}
    assert Reaction.objects.count() == 1


def test_two_browsers_are_two_votes(article, redis_client, client, django_user_model):
    from django.test import Client

    react(client, article, "informative")
    response = react(Client(), article, "informative")
    assert response.json()["counts"]["informative"] == 2


def test_without_javascript_the_vote_redirects_to_the_results(client, article, redis_client):
    response = client.post(
        f"/readership/reactions/{article.pk}/",
        {"kind": "not_informative"},
        headers={"User-Agent": BROWSER_UA, "Origin": "http://testserver"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?reacted=not_informative#feedback"

    page = client.get(response["Location"])
    assert (
        'Not informative: <span data-reaction-count="not_informative">1</span> (your choice)'
        in page.text
    )


@pytest.mark.parametrize(
    ("kind", "headers", "status", "error"),
    [
        ("loved it", {}, 400, "Choose one of the offered reactions."),
        ("", {}, 400, "Choose one of the offered reactions."),
        (
            "informative",
            {"Origin": "https://evil.example"},
            403,
            "Cross-site submissions are not accepted.",
        ),
        ("informative", {"Origin": "null"}, 403, "Cross-site submissions are not accepted."),
        (
            "informative",
            {"Sec-Fetch-Site": "cross-site"},
            403,
            "Cross-site submissions are not accepted.",
        ),
        (
            "informative",
            {"User-Agent": "python-requests/2.32"},
            403,
            "Automated submissions are not accepted.",
        ),
        ("informative", {"User-Agent": ""}, 403, "Automated submissions are not accepted."),
    ],
)
def test_bad_reactions_are_refused_and_nothing_is_stored(
    client, article, redis_client, kind, headers, status, error
):
    response = react(client, article, kind, **headers)
    assert response.status_code == status
    assert response.json() == {"error": error}
    assert Reaction.objects.count() == 0


def test_a_post_with_no_origin_or_referer_is_refused(client, article, redis_client):
    response = client.post(
        f"/readership/reactions/{article.pk}/",
        {"kind": "informative"},
        headers={"User-Agent": BROWSER_UA},
    )
    assert response.status_code == 403
    assert Reaction.objects.count() == 0


def test_unpublished_articles_take_no_reactions(client, site_tree, redis_client):
    draft = ArticlePageFactory(parent=site_tree["news"], draft=True)
    assert react(client, draft, "informative").status_code == 404
    assert Reaction.objects.count() == 0


def test_reactions_are_rate_limited_per_address(client, article, redis_client):
    from django.test import Client

    for _ in range(30):
        assert react(Client(), article, "informative").status_code == 200
    response = react(Client(), article, "informative")
    assert response.status_code == 429
    assert Reaction.objects.count() == 30


def test_reactions_fail_open_when_redis_is_down(client, article, settings):
    from ops.counters import _client

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    _client.cache_clear()
    try:
        response = react(client, article, "informative")
    finally:
        _client.cache_clear()
    assert response.status_code == 200
    assert Reaction.objects.count() == 1
