"""The recipient's comment box: comments land as Wagtail admin comments on the page."""

import json

from django.contrib.auth.models import User

from wagtail.models import Comment, PageLogEntry

import pytest

from sharing.models import ShareLink
from tests.sharing.conftest import USER_AGENT

pytestmark = pytest.mark.django_db


def share(page, user, **options):
    options = {"recipient": "Jo Smith", "pin_revision": False, "hours": 48, **options}
    link, token = ShareLink.objects.create_for(page=page, user=user, **options)
    return link, token


def test_recipients_comment_reaches_the_editors_as_an_admin_comment(reader, draft, staff, as_role):
    link, token = share(draft, staff["writer"], allow_comments=True)
    page = reader.get(f"/share/{token}/").content.decode()
    assert f'action="/share/{token}/comments/"' in page

    response = reader.post(f"/share/{token}/comments/", {"comment": "  Quote 3 is not mine.  "})

    assert response.status_code == 200
    assert "Your comment was sent to the newsroom." in response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    comment = Comment.objects.get(page=draft)
    assert (comment.text, comment.contentpath) == ("Quote 3 is not mine.", "title")
    reviewer = comment.user
    assert (reviewer.get_full_name(), reviewer.is_active) == ("Jo Smith (outside reviewer)", False)
    assert not reviewer.has_usable_password() and not reviewer.groups.exists()
    assert PageLogEntry.objects.get(page=draft, action="wagtail.comments.create").user == reviewer
    # The writer sees it in the editor's comments.
    edit = as_role("writer").get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert "Quote 3 is not mine." in edit


def test_every_comment_of_one_link_has_the_same_reviewer(reader, draft, staff):
    _, token = share(draft, staff["writer"], allow_comments=True)
    for text in ("First", "Second"):
        reader.post(f"/share/{token}/comments/", {"comment": text})
    assert Comment.objects.filter(page=draft).values("user").distinct().count() == 1
    assert User.objects.filter(username__startswith="share-link-").count() == 1


def test_comments_are_stored_verbatim_and_shown_escaped(reader, draft, staff, as_role):
    _, token = share(draft, staff["writer"], allow_comments=True)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    reader.post(f"/share/{token}/comments/", {"comment": hostile})

    assert Comment.objects.get(page=draft).text == hostile
    writer = as_role("writer")
    for url in (f"/admin/pages/{draft.pk}/edit/", f"/admin/pages/{draft.pk}/history/"):
        body = writer.get(url).content.decode()
        assert "<script>alert(" not in body and "<img src=x" not in body, url


def test_a_link_without_comments_takes_none(reader, draft, staff):
    _, token = share(draft, staff["writer"])
    assert "share-comment" not in reader.get(f"/share/{token}/").content.decode()

    assert reader.post(f"/share/{token}/comments/", {"comment": "Hello"}).status_code == 404
    assert not Comment.objects.exists()


def test_a_revoked_link_takes_no_comment(reader, draft, staff):
    link, token = share(draft, staff["writer"], allow_comments=True)
    link.revoke(user=staff["writer"])

    response = reader.post(f"/share/{token}/comments/", {"comment": "Hello"})

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_the_last_allowed_view_may_still_be_commented_on(reader, draft, staff):
    _, token = share(draft, staff["writer"], allow_comments=True, max_views=1)
    assert reader.get(f"/share/{token}/").status_code == 200
    assert reader.post(f"/share/{token}/comments/", {"comment": "One fix"}).status_code == 200
    assert Comment.objects.count() == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * 2001, "nul \x00 byte"])
def test_empty_overlong_or_nul_comments_are_refused(reader, draft, staff, text):
    _, token = share(draft, staff["writer"], allow_comments=True)

    response = reader.post(f"/share/{token}/comments/", {"comment": text})

    assert response.status_code == 400
    assert "Your comment was not sent" in response.content.decode()
    assert not Comment.objects.exists()


def test_comments_are_rate_limited_per_address(reader, draft, staff):
    _, token = share(draft, staff["writer"], allow_comments=True)
    statuses = [
        reader.post(f"/share/{token}/comments/", {"comment": f"Note {n}"}).status_code
        for n in range(6)
    ]
    assert statuses == [200] * 5 + [429]
    assert Comment.objects.count() == 5


def test_comment_needs_the_token_not_a_guess(client, draft, staff):
    share(draft, staff["writer"], allow_comments=True)
    response = client.post(
        "/share/" + "B" * 43 + "/comments/",
        data=json.dumps({"comment": "x"}),
        content_type="application/json",
        headers={"User-Agent": USER_AGENT},
    )
    assert response.status_code == 404
    assert not Comment.objects.exists()
