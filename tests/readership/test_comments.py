"""Comments: plain text, pending until approved, spam defences, escaped on output."""

import re
import time
from datetime import timedelta

from django.test import Client
from django.utils import timezone

import pytest
import time_machine

from news.factories import ArticlePageFactory
from readership.comments import form_stamp
from readership.models import Comment
from tests.readership.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db

HEADERS = {"User-Agent": BROWSER_UA, "Origin": "http://testserver"}


def old_stamp() -> str:
    return form_stamp(now=time.time() - 60)


def post(client, article, **fields):
    data = {"name": "Ada", "email": "", "body": "A thoughtful remark.", "stamp": old_stamp()}
    data.update(fields)
    headers = {**HEADERS, **data.pop("headers", {})}
    return client.post(f"/readership/comments/{article.pk}/", data, headers=headers)


def test_a_comment_waits_for_moderation_then_appears(client, article, redis_client):
    response = post(client, article, name="Ada", email="ada@example.com", body="Well reported.")

    assert response.status_code == 302
    assert response["Location"] == f"{article.url}?comment=pending#comments-status"
    page = client.get(response["Location"])
    assert "Your comment is awaiting moderation." in page.text
    assert "Well reported." not in page.text
    assert "No comments yet. Be the first to comment!" in page.text

    comment = Comment.objects.get()
    assert (comment.status, comment.name, comment.email) == ("pending", "Ada", "ada@example.com")

    comment.moderate(Comment.Status.APPROVED)
    page = client.get(article.url)
    assert "Well reported." in page.text
    assert "ada@example.com" not in page.text
    assert "No comments yet" not in page.text


def test_trusted_commenters_skip_the_queue(client, article, redis_client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("columnist")
    user.user_permissions.add(Permission.objects.get(codename="skip_comment_moderation"))
    client.force_login(user)

    response = post(client, article, body="From the newsroom.")

    assert response["Location"].endswith("?comment=published#comments-status")
    assert Comment.objects.get().status == "approved"
    assert "From the newsroom." in client.get(article.url).text


def test_filter_orders_newest_or_oldest_and_replies_nest_one_level(client, article):
    now = timezone.now()
    first = Comment.objects.create(
        article=article,
        name="A",
        body="First!",
        status="approved",
        created_at=now - timedelta(hours=2),
    )
    Comment.objects.create(
        article=article,
        name="B",
        body="Second.",
        status="approved",
        created_at=now - timedelta(hours=1),
    )
    Comment.objects.create(
        article=article, parent=first, name="C", body="A reply.", status="approved"
    )
    Comment.objects.create(article=article, name="D", body="Unseen.", status="rejected")
    Comment.objects.create(article=article, name="E", body="Spammy.", status="spam")

    newest = client.get(article.url).text
    oldest = client.get(f"{article.url}?comments=oldest").text

    assert newest.index("Second.") < newest.index("First!") < newest.index("A reply.")
    assert oldest.index("First!") < oldest.index("A reply.") < oldest.index("Second.")
    assert "Unseen." not in newest and "Spammy." not in newest


def test_a_reply_to_a_reply_is_refused(client, article, redis_client):
    top = Comment.objects.create(article=article, name="A", body="Top.", status="approved")
    reply = Comment.objects.create(
        article=article, parent=top, name="B", body="Reply.", status="approved"
    )
    assert post(client, article, parent=str(top.pk)).status_code == 302
    response = post(client, article, parent=str(reply.pk), body="Deeper.")
    assert response.status_code == 400
    assert "You can only reply to a published top-level comment." in response.text
    assert not Comment.objects.filter(body="Deeper.").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"body": ""}, "This field is required."),
        ({"body": "x" * 3001}, "Ensure this value has at most 3000 characters (it has 3001)."),
        ({"name": "n" * 81}, "Ensure this value has at most 80 characters (it has 81)."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"body": "<b>bold</b> claim"}, "Comments are plain text: HTML tags are not allowed."),
        (
            {"name": "<script>alert(1)</script>"},
            "Comments are plain text: HTML tags are not allowed.",
        ),
        ({"body": "nul \x00 byte"}, "Null characters are not allowed."),
        ({"website": "http://spam.example"}, "Your comment looks automated."),
        ({"stamp": "forged"}, "This form is damaged: reload the page."),
        ({"stamp": ""}, "This field is required."),
    ],
)
def test_invalid_comments_get_a_400_with_the_reason_and_nothing_is_stored(
    client, article, redis_client, fields, message
):
    response = post(client, article, **fields)
    assert response.status_code == 400
    assert message in response.text
    assert Comment.objects.count() == 0


def test_a_comment_posted_too_fast_is_refused(client, article, redis_client):
    response = post(client, article, stamp=form_stamp())
    assert response.status_code == 400
    assert "That was quick!" in response.text
    assert Comment.objects.count() == 0


def test_an_expired_form_is_refused(client, article, redis_client):
    response = post(client, article, stamp=form_stamp(now=time.time() - 3 * 24 * 3600))
    assert response.status_code == 400
    assert "This form has expired" in response.text


def test_an_oversized_post_is_refused_with_413(client, article, redis_client):
    response = post(client, article, body="x" * 20_000)
    assert response.status_code == 413
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "https://evil.example"}, 403),
        ({"User-Agent": "Googlebot/2.1"}, 403),
        ({"User-Agent": ""}, 403),
    ],
)
def test_cross_site_and_bot_posts_are_refused(client, article, redis_client, headers, status):
    assert post(client, article, headers=headers).status_code == status
    assert Comment.objects.count() == 0


def test_comments_closed_per_article_and_after_n_days(client, site_tree, redis_client, settings):
    closed = ArticlePageFactory(parent=site_tree["news"], comments_enabled=False)
    response = post(client, closed)
    assert response.status_code == 403
    assert "Comments are closed on this story." in response.text  # the site's page
    scripted = post(client, closed, headers={"Accept": "application/json"})
    assert scripted.json() == {"error": "Comments are closed on this story."}
    assert "Comments are closed for this story." in client.get(closed.url).text

    settings.READERSHIP_COMMENTS_CLOSE_AFTER_DAYS = 10
    aged = ArticlePageFactory(
        parent=site_tree["news"], first_published_at=timezone.now() - timedelta(days=11)
    )
    assert post(client, aged).status_code == 403
    assert Comment.objects.count() == 0


def test_per_address_rate_limit(article, redis_client):
    for n in range(5):
        assert post(Client(), article, body=f"Comment {n}.").status_code == 302
    response = post(Client(), article, body="One too many.")
    assert response.status_code == 429
    assert Comment.objects.count() == 5


def test_comments_fail_closed_when_redis_is_down(client, article, settings):
    from ops.counters import _client

    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    _client.cache_clear()
    try:
        response = post(client, article)
    finally:
        _client.cache_clear()
    assert response.status_code == 503
    assert Comment.objects.count() == 0


XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg onload=alert(1)>",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "java&#x73;cript:alert(1)",
    "<iframe src=//evil.example>",
    '<a style="x:url(javascript:alert(1))">x</a>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "{{ 7|add:7 }} {% now 'Y' %}",
    "\u202eevil\u200d",
]


@pytest.mark.parametrize("payload", XSS)
def test_xss_payloads_are_rendered_as_inert_text(client, article, payload):
    from django.utils.html import escape

    Comment.objects.create(article=article, name=payload, body=payload, status="approved")

    html = client.get(article.url).text

    assert f'<p class="comment__body">{escape(payload)}</p>' in html
    assert f'<strong class="comment__name">{escape(payload)}</strong>' in html
    assert active_markup(html) == []


def active_markup(html: str) -> list[str]:
    """Elements or attributes in the parsed page that could run script."""
    from html.parser import HTMLParser

    found = []

    class Finder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in {"iframe", "svg", "math", "img"}:
                found.append(tag)
            inert_data = dict(attrs).get("type") == "application/ld+json"
            if tag == "script" and not dict(attrs).get("src") and not inert_data:
                found.append("inline script")
            for name, value in attrs:
                url_like = name in {"href", "src", "action", "formaction", "xlink:href", "style"}
                if name.startswith("on") or (url_like and "javascript:" in (value or "").lower()):
                    found.append(f"{tag}[{name}]")

    Finder().feed(html)
    return found


def test_the_no_javascript_path_never_leaks_other_visitors_data(client, article, redis_client):
    with time_machine.travel(timezone.now() - timedelta(seconds=30)):
        stamp = form_stamp()
    response = post(client, article, stamp=stamp, email="private@example.com")
    assert response.status_code == 302
    Comment.objects.update(status="approved")
    assert "private@example.com" not in client.get(article.url).text


STAMP_IN_FORM = re.compile(r'name="stamp" value="([^"]+)"')


def test_a_cached_page_gives_each_reader_a_fresh_stamp_so_a_bot_still_posts_too_fast(
    client, article, redis_client
):
    first, cached = Client().get(article.url), Client().get(article.url)
    assert cached.headers["X-Cache"] == "HIT"
    stamps = {STAMP_IN_FORM.search(page.text).group(1) for page in (first, cached)}
    assert len(stamps) == 2  # not the render time of whoever filled the cache

    # A bot that fetches the cached page and posts at once is caught by the minimum age.
    bot = post(client, article, stamp=STAMP_IN_FORM.search(client.get(article.url).text).group(1))
    assert bot.status_code == 400
    assert "That was quick!" in bot.text
    assert not Comment.objects.exists()


def test_a_stamp_takes_one_comment(client, article, redis_client):
    stamp = old_stamp()
    assert post(client, article, stamp=stamp, body="First, and welcome.").status_code == 302
    replay = post(client, article, stamp=stamp, body="The same form, posted again.")
    assert replay.status_code == 400
    assert "This form has already been sent" in replay.text
    assert list(Comment.objects.values_list("body", flat=True)) == ["First, and welcome."]


@pytest.mark.parametrize(
    "name",
    ["Ada\u202enimda", "Ad\u200ba", "\u2067Editor\u2069", "Ada\ufeff", "Ad\u200da"],
    ids=["right-to-left override", "zero-width space", "isolate", "BOM", "zero-width joiner"],
)
def test_names_with_invisible_or_direction_characters_are_refused(
    client, article, redis_client, name
):
    refused = post(client, article, name=name)
    assert refused.status_code == 400
    assert "Names cannot contain invisible or text-direction characters." in refused.text
    assert not Comment.objects.exists()
    # Letters of any script are welcome.
    assert post(client, article, name="Zoë Ōkubo-Nguyễn محمد").status_code == 302
