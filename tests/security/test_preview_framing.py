"""Wagtail's preview panel and Checks panel frame the story's preview inside the editor: preview
responses may be framed by the admin's own origin, and nothing else may be framed at all."""

import pytest

from news.factories import paragraphs
from tests.editorial.conftest import complete_article, edit_form

pytestmark = pytest.mark.django_db

SENTINEL = "Otter-Preview-3307"


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in (p.strip() for p in header.split(";"))
        if part
    }


def preview(client, story):
    url = f"/admin/pages/{story.pk}/edit/preview/"
    assert client.post(url, edit_form(client, story)).json()["is_valid"] is True
    return client.get(url + "?mode=")


def test_a_preview_may_be_framed_by_the_admin_only_and_keeps_the_strict_policy(
    newsroom, staff, as_role
):
    story = complete_article(newsroom["news"], staff["writer"], body=paragraphs([SENTINEL]))

    shown = preview(as_role("writer"), story)

    assert shown.status_code == 200 and SENTINEL in shown.content.decode()
    rules = policy(shown)
    assert rules["frame-ancestors"] == "'self'"
    assert rules["script-src"].startswith("'self' 'nonce-")
    assert "unsafe-inline" not in shown["Content-Security-Policy"]
    assert shown["X-Frame-Options"] == "SAMEORIGIN"
    assert shown["Cache-Control"].startswith("private, no-store")


def test_the_published_story_itself_is_never_frameable(newsroom, staff, as_role, client):
    story = complete_article(newsroom["news"], staff["writer"], body=paragraphs([SENTINEL]))
    story.save_revision().publish()
    preview(as_role("writer"), story)  # a preview just rendered changes nothing for readers

    for reader in (client, as_role("writer")):
        response = reader.get(story.url)
        assert response.status_code == 200
        assert policy(response)["frame-ancestors"] == "'none'"
        assert response["X-Frame-Options"] == "DENY"


def test_a_preview_url_refuses_anyone_signed_out(newsroom, staff, client):
    story = complete_article(newsroom["news"], staff["writer"], body=paragraphs([SENTINEL]))

    response = client.get(f"/admin/pages/{story.pk}/edit/preview/?mode=")

    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert SENTINEL not in response.content.decode()
