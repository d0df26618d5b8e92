"""Workflow emails leave through Celery after commit, never inside the admin request."""

import json

from django.core import mail

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from tests.editorial.conftest import complete_article, submit_for_review, workflow_action
from tests.editorial.scheduling_helpers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def queued_tasks(redis_client) -> list[str]:
    return [json.loads(raw)["headers"]["task"] for raw in redis_client.lrange("celery", 0, -1)]


def test_submission_and_approval_emails_are_sent_by_the_worker(
    newsroom, staff, as_role, redis_client
):
    article = complete_article(newsroom["news"], staff["writer"], title="Pier repairs")

    response = submit_for_review(as_role("writer"), article)

    assert response.status_code == 302
    assert mail.outbox == []
    assert queued_tasks(redis_client) == ["editorial.send_notification"] * 2

    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        assert wait_until(lambda: len(mail.outbox) == 1, timeout=20)
        assert mail.outbox[0].to == ["editor@masthead.test"]
        assert "Pier repairs" in mail.outbox[0].subject

        mail.outbox.clear()
        workflow_action(as_role("editor"), article, "approve")
        workflow_action(as_role("chief"), article, "approve")
        assert wait_until(lambda: len(mail.outbox) >= 3, timeout=20)
        wait_until(lambda: False, timeout=1)  # nothing else straggles in

    assert sorted((message.to[0], message.subject) for message in mail.outbox) == [
        (
            "chief@masthead.test",
            'The page "Pier repairs" has been submitted for approval in moderation stage '
            '"Publication approval"',
        ),
        ("writer@masthead.test", "Published: Pier repairs"),
        ("writer@masthead.test", 'The page "Pier repairs" has been approved in "News desk".'),
    ]
