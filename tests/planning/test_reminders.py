"""Due-soon and overdue reminders reach the assignee and the desk once per threshold, however
many beats send the tick and even when the worker dies mid-send."""

import os
import signal
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone

from wagtail.models import ModelLogEntry

import pytest

from planning.models import Reminder
from planning.reminders import run_reminders
from tests.ops.cluster import Cluster
from tests.planning.conftest import assignment_in
from tests.planning.smtp import MailServer
from tests.security.servers import database_url, wait_until


@pytest.mark.django_db
def test_one_reminder_per_threshold_to_the_assignee_and_the_desk(newsroom, staff):
    assignment = assignment_in(newsroom["news"], staff["writer"], due_in=timedelta(minutes=30))
    assignment_in(
        newsroom["news"], staff["writer_b"], headline="Not yet", due_in=timedelta(hours=5)
    )

    run_reminders()
    run_reminders()  # the second beat's tick

    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Due soon: Council budget vote"
    assert sorted(mail.outbox[0].to) == [
        "chief@masthead.test",
        "editor@masthead.test",
        "writer@masthead.test",
    ]

    run_reminders(now=assignment.due_at + timedelta(minutes=1))
    run_reminders(now=assignment.due_at + timedelta(minutes=2))

    assert [message.subject for message in mail.outbox] == [
        "Due soon: Council budget vote",
        "Overdue: Council budget vote",
    ]
    assert list(Reminder.objects.values_list("threshold", flat=True).order_by("pk")) == [
        "due_soon",
        "overdue",
    ]
    logged = ModelLogEntry.objects.for_instance(assignment).filter(
        action="planning.assignment.remind"
    )
    assert logged.count() == 2


@pytest.mark.django_db
def test_filed_or_killed_work_is_not_chased(newsroom, staff):
    from tests.editorial.conftest import complete_article

    article = complete_article(newsroom["news"], staff["writer"])
    article.save_revision(user=staff["writer"]).publish()
    assignment_in(newsroom["news"], staff["writer"], article=article, due_in=-timedelta(hours=1))
    killed = assignment_in(
        newsroom["news"], staff["writer"], headline="Spiked", due_in=-timedelta(hours=1)
    )
    killed.killed_at = timezone.now()
    killed.save()

    run_reminders()

    assert mail.outbox == []
    assert not Reminder.objects.exists()


@pytest.mark.worker
@pytest.mark.timeout(240)
@pytest.mark.django_db(transaction=True)
def test_two_beats_and_a_worker_killed_mid_send_remind_exactly_once(
    newsroom, staff, redis_client, tmp_path
):
    assignment_in(
        newsroom["news"], staff["writer"], headline="Harbour inquiry", due_in=timedelta(minutes=20)
    )
    with MailServer() as smtp:
        env = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
            "DJANGO_SETTINGS_MODULE": "config.test_settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CACHE_REDIS_URL": settings.CACHE_REDIS_URL,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp.port),
            "PLANNING_REMINDER_INTERVAL": "1",
            "PYTHONUNBUFFERED": "1",
        }
        cluster = Cluster(env=env, workdir=tmp_path)
        first_worker = cluster.add_worker("worker-a")
        cluster.add_beat("beat-a")
        cluster.add_beat("beat-b")
        try:
            cluster.start()
            # The worker has handed the message over and waits for the server's answer: kill it.
            wait_until(lambda: smtp.held, timeout=60)
            first_worker.signal(signal.SIGKILL)
            first_worker.process.wait(timeout=10)
            assert not Reminder.objects.exists()  # its claim died with it
            assert smtp.delivered == []

            smtp.release.set()
            second = cluster.add_worker("worker-b")
            second.start()
            wait_until(lambda: Reminder.objects.exists(), timeout=60)
            # Both beats keep ticking every second; give them a few more ticks.
            ticks = cluster.logs("beat").count("planning.send_reminders")
            wait_until(
                lambda: cluster.logs("beat").count("planning.send_reminders") >= ticks + 6,
                timeout=30,
            )
        finally:
            cluster.stop()

    assert len(smtp.held) == 1
    assert len(smtp.delivered) == 1
    assert "Subject: Due soon: Harbour inquiry" in smtp.delivered[0]
    assert Reminder.objects.get().recipients == [
        "chief@masthead.test",
        "editor@masthead.test",
        "writer@masthead.test",
    ]
