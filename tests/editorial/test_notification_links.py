"""Notification emails link to the newsroom's real addresses: the admin at WAGTAILADMIN_BASE_URL,
the published story at PUBLIC_BASE_URL, never the development server's localhost:8000."""

import re

from django.core import mail

import pytest

from tests.editorial.conftest import complete_article, submit_for_review, workflow_action

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://[^\s\"'<>]+")


def test_workflow_and_publication_emails_link_to_the_configured_origins(
    newsroom, staff, as_role, settings, django_capture_on_commit_callbacks, celery_eager
):
    settings.PUBLIC_BASE_URL = "https://news.example.com"
    settings.WAGTAILADMIN_BASE_URL = "https://desk.example.com"
    story = complete_article(newsroom["news"], staff["writer"], title="Ferry timetable")

    with django_capture_on_commit_callbacks(execute=True):
        submit_for_review(as_role("writer"), story)
        workflow_action(as_role("editor"), story, "approve")
        workflow_action(as_role("chief"), story, "approve")

    story.refresh_from_db()
    assert story.live
    links = {link for message in mail.outbox for link in LINK.findall(message.body)}
    assert f"https://desk.example.com/admin/pages/{story.pk}/edit/" in links
    assert f"https://news.example.com{story.relative_url(story.get_site())}" in links
    assert {link.split("/")[2] for link in links} == {"desk.example.com", "news.example.com"}
    assert not any("localhost" in m.body or ":8000" in m.body for m in mail.outbox)
