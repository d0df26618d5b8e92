"""Release bundles: every page at its release time in one transaction, exactly once under two
schedulers and a killed worker, and nothing at all when one page is not approved."""

import signal
from collections import Counter
from datetime import timedelta

from django.core import mail
from django.db import connection
from django.utils import timezone

from wagtail.models import Page, PageLogEntry
from wagtail.signals import page_published

import pytest

from config.celery import app
from news.models import ArticlePage
from releases.models import ReleaseBundle
from releases.release import release_due_bundles
from releases.tasks import release_due_bundles as release_task
from tests.editorial.scheduling_helpers import run_twice_at_once, start_worker, stop, wait_until
from tests.ops.test_beat_on_two_hosts import blocked_on_locks
from tests.releases.conftest import make_bundle

PUBLISHED = "wagtail.publish"


def publish_counts(stories) -> Counter:
    return Counter(
        PageLogEntry.objects.filter(page__in=stories, action=PUBLISHED).values_list(
            "page_id", flat=True
        )
    )


def live_as_others_see(ids) -> int:
    """How many of these pages another connection (a reader's request) sees live now."""
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM wagtailcore_page WHERE live AND id = ANY(%s)", [ids]
            )
            return cursor.fetchone()[0]
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_bundle_of_five_publishes_in_one_transaction_at_its_time_and_tells_the_desk_once(
    five_stories, staff, celery_eager
):
    release_at = timezone.now() + timedelta(minutes=5)
    bundle = make_bundle(five_stories, added_by=staff["chief"], release_at=release_at)
    ids = [story.pk for story in five_stories]

    assert release_due_bundles(now=release_at - timedelta(seconds=1)).released == []
    assert ArticlePage.objects.live().filter(pk__in=ids).count() == 0

    seen_by_readers = []

    def look(sender, instance, **kwargs):
        seen_by_readers.append(live_as_others_see(ids))

    page_published.connect(look, dispatch_uid="test-one-transaction")
    try:
        run = release_due_bundles(now=release_at)
    finally:
        page_published.disconnect(dispatch_uid="test-one-transaction")

    assert run.released == [bundle.pk]
    # While the five were published one by one, readers saw none; then all five at once.
    assert seen_by_readers == [0, 0, 0, 0, 0]
    assert live_as_others_see(ids) == 5
    assert publish_counts(five_stories) == dict.fromkeys(ids, 1)
    bundle.refresh_from_db()
    assert bundle.status == ReleaseBundle.Status.RELEASED
    assert release_due_bundles(now=release_at + timedelta(seconds=2)).released == []
    outcome = [message for message in mail.outbox if "Budget day" in message.subject]
    assert [message.subject for message in outcome] == ["Released: Budget day"]
    assert "chief@masthead.test" in outcome[0].to


@pytest.mark.django_db(transaction=True)
def test_one_unapproved_page_releases_nothing_and_tells_the_desk_why(
    five_stories, staff, celery_eager
):
    bundle = make_bundle(five_stories, added_by=staff["chief"])
    edited = five_stories[2].get_latest_revision_as_object()
    edited.title = "Budget story 3, rewritten"
    edited.save_revision(user=staff["writer"])  # not reviewed since it was added
    ids = [story.pk for story in five_stories]

    run = release_due_bundles()

    assert (run.released, run.failed) == ([], [bundle.pk])
    assert ArticlePage.objects.live().filter(pk__in=ids).count() == 0
    assert not PageLogEntry.objects.filter(page__in=ids, action=PUBLISHED).exists()
    bundle.refresh_from_db()
    assert bundle.status == ReleaseBundle.Status.FAILED
    assert bundle.status_text == (
        "Not released: “Budget story 3, rewritten” was edited after it was added; "
        "add it again once approved."
    )
    outcome = [message for message in mail.outbox if "Budget day" in message.subject]
    assert [message.subject for message in outcome] == ["NOT released: Budget day"]
    assert "none of its pages was published" in outcome[0].body
    assert bundle.failure in outcome[0].body
    assert release_due_bundles().failed == []  # refused once, not every tick


@pytest.mark.django_db(transaction=True)
def test_a_page_the_gate_refuses_at_release_time_holds_back_the_bundle(
    five_stories, staff, celery_eager
):
    own = five_stories[0]
    bundle = make_bundle(five_stories, added_by=staff["writer"])  # the writer's own stories

    run = release_due_bundles()

    assert run.failed == [bundle.pk]
    assert not Page.objects.filter(pk=own.pk, live=True).exists()
    bundle.refresh_from_db()
    assert "was added by someone who may not publish it" in bundle.failure


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_release_the_bundle_exactly_once(five_stories, staff, celery_eager):
    bundle = make_bundle(five_stories, added_by=staff["chief"])
    runs, signalled = run_twice_at_once(release_due_bundles)

    ids = [story.pk for story in five_stories]
    assert sorted(runs[0].released + runs[1].released) == [bundle.pk]
    assert Counter(signalled) == dict.fromkeys(ids, 1)
    assert publish_counts(five_stories) == dict.fromkeys(ids, 1)
    assert len([m for m in mail.outbox if "Budget day" in m.subject]) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.worker
def test_worker_killed_mid_release_publishes_nothing_then_the_next_releases_once(
    five_stories, staff, redis_client, tmp_path
):
    bundle = make_bundle(five_stories, added_by=staff["chief"])
    ids = [story.pk for story in five_stories]
    live = ArticlePage.objects.live().filter(pk__in=ids)

    # Hold the last story's row: the worker publishes the first four, then waits on it.
    holder = connection.copy()
    holder.connect()
    holder.set_autocommit(False)
    with holder.cursor() as cursor:
        cursor.execute("SELECT id FROM wagtailcore_page WHERE id = %s FOR UPDATE", [ids[-1]])
    worker = start_worker(tmp_path, "first")
    try:
        release_task.delay()
        assert wait_until(lambda: blocked_on_locks() >= 1, timeout=60), (
            tmp_path / "first.log"
        ).read_text()
        stop(worker, signal.SIGKILL)
    finally:
        stop(worker, signal.SIGKILL)
        holder.rollback()
        holder.close()

    assert live.count() == 0
    assert not PageLogEntry.objects.filter(page__in=ids, action=PUBLISHED).exists()
    bundle.refresh_from_db()
    assert (bundle.status, bundle.notified_at) == (ReleaseBundle.Status.SCHEDULED, None)

    worker = start_worker(tmp_path, "second")
    try:
        release_task.delay()
        assert wait_until(lambda: live.count() == 5, timeout=60), (
            tmp_path / "second.log"
        ).read_text()
        assert wait_until(
            lambda: ReleaseBundle.objects.filter(pk=bundle.pk, notified_at__isnull=False).exists(),
            timeout=30,
        )
    finally:
        stop(worker)

    assert publish_counts(five_stories) == dict.fromkeys(ids, 1)
    assert ReleaseBundle.objects.get(pk=bundle.pk).status == ReleaseBundle.Status.RELEASED


def test_beat_ticks_every_two_seconds_and_drops_a_late_tick():
    """Lateness: a bundle goes out on the first tick after its time (≤ 2 s, plus the release)."""
    entry = app.conf.beat_schedule["release-bundles"]
    assert (entry["task"], entry["schedule"], entry["options"]) == (
        "releases.release_due_bundles",
        2.0,
        {"expires": 2.0},
    )
    assert app.amqp.router.route({}, "releases.release_due_bundles")["queue"].name == "realtime"
