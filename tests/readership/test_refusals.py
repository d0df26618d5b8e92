"""Every refusal a reader can meet by pressing a button is the site's own page (or the form
again, with the reason and their text) for a browser's form post, and JSON only for a script."""

from django.test import Client

import pytest

from readership.comments import form_stamp
from readership.models import Comment, Reaction
from readership.views import COMMENTS_PER_ADDRESS
from tests.readership.conftest import BROWSER_UA
from tests.readership.test_comments import old_stamp

pytestmark = pytest.mark.django_db

BROWSER = {"User-Agent": BROWSER_UA, "Origin": "http://testserver"}
# What Chromium sends with a form submission, and with fetch().
FORM_POST = {**BROWSER, "Sec-Fetch-Mode": "navigate", "Accept": "text/html,*/*;q=0.8"}
FETCH = {**BROWSER, "Sec-Fetch-Mode": "cors", "Accept": "*/*"}
SITE_STYLE = '<link rel="stylesheet" href="/static/css/site.css">'


def comment(client, article, headers, **fields):
    data = {"name": "Ada", "email": "", "body": "A thoughtful remark.", "stamp": old_stamp()}
    data.update(fields)
    return client.post(f"/readership/comments/{article.pk}/", data, headers=headers)


def test_a_rate_limited_comment_shows_the_form_again_with_the_reason(article, redis_client):
    for n in range(COMMENTS_PER_ADDRESS.max_hits):
        assert comment(Client(), article, FORM_POST, body=f"Comment {n}.").status_code == 302

    refused = comment(Client(), article, FORM_POST, body="My carefully typed reply.")

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(COMMENTS_PER_ADDRESS.window_seconds)
    assert refused["Content-Type"].startswith("text/html")
    html = refused.text
    assert SITE_STYLE in html
    assert '<h1 id="refusal-heading">Please wait a few minutes</h1>' in html
    assert "Too many comments; please wait a few minutes." in html
    assert "My carefully typed reply.</textarea>" in html  # nothing they typed is lost
    assert f'href="{article.url}#comments"' in html
    assert Comment.objects.count() == COMMENTS_PER_ADDRESS.max_hits


def test_a_script_gets_the_same_refusal_as_json(article, redis_client):
    for n in range(COMMENTS_PER_ADDRESS.max_hits):
        comment(Client(), article, FORM_POST, body=f"Comment {n}.")

    refused = comment(Client(), article, FETCH)

    assert refused.status_code == 429
    assert refused.json() == {"error": "Too many comments; please wait a few minutes."}


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        ({"User-Agent": "python-requests/2.32"}, 403, "Automated submissions are not accepted."),
        ({"Origin": "https://evil.example"}, 403, "Cross-site submissions are not accepted."),
    ],
)
def test_bot_and_cross_site_checks_answer_a_form_post_with_a_page(
    client, article, redis_client, headers, status, message
):
    refused = comment(client, article, {**FORM_POST, **headers})

    assert refused.status_code == status
    assert SITE_STYLE in refused.text
    assert f"<p>{message}</p>" in refused.text
    assert Comment.objects.count() == 0


def test_the_honeypot_and_validation_show_the_form_with_the_problems(client, article, redis_client):
    refused = comment(client, article, FORM_POST, website="http://spam.example", body="x")

    assert refused.status_code == 400
    assert "<h1>Your comment needs a change</h1>" in refused.text
    assert "Your comment looks automated." in refused.text
    assert "Ensure this value has at least 2 characters" in refused.text
    scripted = comment(client, article, FETCH, body="x", stamp=form_stamp())
    assert scripted.status_code == 400
    assert scripted.json()["error"] == "Your comment needs a change."
    assert set(scripted.json()["fields"]) == {"body", "stamp"}
    assert Comment.objects.count() == 0


def test_a_rate_limited_reaction_without_javascript_gets_a_page(article, redis_client):
    for _ in range(30):
        Client().post(
            f"/readership/reactions/{article.pk}/", {"kind": "informative"}, headers=FORM_POST
        )

    refused = Client().post(
        f"/readership/reactions/{article.pk}/", {"kind": "informative"}, headers=FORM_POST
    )

    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert SITE_STYLE in refused.text
    assert "Too many reactions from your address; try again in a minute." in refused.text
    assert f'<a class="button" href="{article.url}">Back to “{article.title}”</a>' in refused.text
    assert Reaction.objects.count() == 30


def test_refusal_pages_are_never_cached(client, article, redis_client):
    refused = comment(client, article, {**FORM_POST, "User-Agent": ""})
    assert refused.status_code == 403
    assert "no-store" in refused["Cache-Control"]
