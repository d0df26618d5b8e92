"""Workflow emails leave through Celery after commit, never inside the admin request."""

import json

from django.core import mail

from wagtail.models import PageLogEntry

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from editorial import notifications
from tests.editorial.conftest import complete_article, submit_for_review, workflow_action
from tests.editorial.scheduling_helpers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def queued_tasks(redis_client) -> list[str]:
    """Editorial tasks waiting on every queue (notifications are routed to the realtime queue;
    the search index update a save enqueues is search's business)."""

    return [
        json.loads(raw)["headers"]["task"]
        for queue in app.conf.task_queues
        for raw in redis_client.lrange(queue.name, 0, -1)
        if json.loads(raw)["headers"]["task"].startswith("editorial.")
    ]


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


def test_a_redelivered_notification_is_sent_once(newsroom, staff, redis_client):
    article = complete_article(newsroom["news"], staff["writer"], title="Ferry timetable")
    article.get_latest_revision().publish(user=staff["chief"])
    entry = PageLogEntry.objects.get(page=article, action="wagtail.publish")
    mail.outbox.clear()

    notifications.send("publication", entry.pk, None, key=f"publication:{entry.pk}")
    notifications.send("publication", entry.pk, None, key=f"publication:{entry.pk}")

    assert [message.subject for message in mail.outbox] == ["Published: Ferry timetable"]


def test_a_notification_is_not_lost_when_the_cache_is_unreachable(
    newsroom, staff, settings, caplog
):
    article = complete_article(newsroom["news"], staff["writer"], title="Bridge closure")
    article.get_latest_revision().publish(user=staff["chief"])
    entry = PageLogEntry.objects.get(page=article, action="wagtail.publish")
    mail.outbox.clear()
    unreachable = {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:9/0"}
    settings.CACHES = {**settings.CACHES, "default": unreachable}

    notifications.send("publication", entry.pk, None, key=f"publication:{entry.pk}")

    assert [message.subject for message in mail.outbox] == ["Published: Bridge closure"]
    assert "sent without a once-only marker" in caplog.text
