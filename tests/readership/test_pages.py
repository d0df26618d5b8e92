"""The readership components on the public pages, including posts from a cached copy."""

import re
import time

from django.test import Client
from django.utils import timezone

import pytest
import time_machine

from news.factories import ArticlePageFactory
from readership.models import ArticleDailyViews, Comment, Reaction
from tests.readership.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


def test_the_home_page_lists_the_most_read_stories(client, site_tree):
    story = ArticlePageFactory(parent=site_tree["news"], title="Library opens on Sundays")
    ArticleDailyViews.objects.create(article=story, day=timezone.localdate(), views=3)

    html = client.get("/").text

    assert '<h2 id="most-read-heading">Most read</h2>' in html
    assert re.search(r"Library opens on Sundays</a> <span[^>]*>3 views</span>", html)


def test_the_home_page_has_no_most_read_section_without_views(client, site_tree):
    ArticlePageFactory(parent=site_tree["news"])
    assert "most-read-heading" not in client.get("/").text


def test_the_article_page_carries_the_beacon_and_sets_no_cookie(client, article):
    response = client.get(article.url)

    assert response.status_code == 200
    assert "data-view-token=" in response.text
    assert 'src="/static/js/readership.js"' in response.text
    assert response.cookies == {}


def test_a_comment_and_a_reaction_post_from_a_cached_copy_of_the_page(article, redis_client):
    with time_machine.travel(time.time() - 600):
        cached_html = Client().get(article.url).text  # what a cache would hand every reader
    stamp = re.search(r'name="stamp" value="([^"]+)"', cached_html).group(1)
    action = re.search(r'id="comment-form" method="post" action="([^"]+)"', cached_html).group(1)
    reaction = re.search(r'class="feedback__form" method="post" action="([^"]+)"', cached_html)

    reader = Client()  # a different visitor: no cookies, no CSRF token
    headers = {"User-Agent": BROWSER_UA, "Origin": "http://testserver"}
    commented = reader.post(
        action, {"name": "Sam", "body": "From the cache.", "stamp": stamp}, headers=headers
    )
    reacted = reader.post(reaction.group(1), {"kind": "want_more"}, headers=headers)

    assert commented.status_code == 302
    assert Comment.objects.get().body == "From the cache."
    assert reacted.status_code == 302
    assert Reaction.objects.get().kind == "want_more"
