"""A password-protected story cannot be guessed at speed: tries are counted per address and per
restriction in ops.ratelimit, and the right password after the limit gets in no sooner."""

from django.test import Client

from wagtail.models import PageViewRestriction

import pytest

from news.factories import ArticlePageFactory, paragraphs
from news.views import PASSWORD_TRIES_PER_ADDRESS, TOO_MANY_TRIES
from ops.counters import _client

SECRET_LINE = "The minister's letter, in full, reads"


@pytest.fixture
def private_story(site_tree, redis_client):
    story = ArticlePageFactory(
        parent=site_tree["news"], title="Private briefing", body=paragraphs([SECRET_LINE])
    )
    restriction = PageViewRestriction.objects.create(
        page=story, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-tide"
    )
    return story, restriction


def try_password(client, story, restriction, password, **extra):
    return client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{story.pk}/",
        {"password": password, "return_url": story.url},
        **extra,
    )


@pytest.mark.django_db
def test_guessing_stops_at_the_limit_and_the_right_password_waits_too(private_story):
    story, restriction = private_story
    guesser = Client()
    for guess in range(PASSWORD_TRIES_PER_ADDRESS.max_hits):
        answer = try_password(guesser, story, restriction, f"guess-{guess}")
        assert answer.status_code == 200  # the form again, "incorrect password"
    refused = try_password(guesser, story, restriction, "s3cret-tide")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert TOO_MANY_TRIES in refused.content.decode()  # in the site's own page
    assert '<link rel="stylesheet" href="/static/css/site.css">' in refused.content.decode()
    assert SECRET_LINE not in guesser.get(story.url).content.decode()

    # A reader elsewhere, with the password, is not held up by the guesser.
    reader = Client()
    let_in = try_password(reader, story, restriction, "s3cret-tide", REMOTE_ADDR="192.0.2.44")
    assert let_in.status_code == 302
    assert SECRET_LINE in reader.get(story.url).content.decode()


@pytest.mark.django_db
def test_the_password_form_fails_closed_without_redis(private_story, settings):
    story, restriction = private_story
    _client.cache_clear()
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    try:
        answer = try_password(Client(), story, restriction, "s3cret-tide")
    finally:
        _client.cache_clear()
    assert answer.status_code == 503
