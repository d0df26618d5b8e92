"""The Celery app and its beat schedule: the one place periodic work is declared."""

import functools
import logging
import os

from django.conf import settings
from django.db import transaction

from celery import Celery
from celery.contrib.django.task import DjangoTask
from celery.schedules import crontab
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)


class AfterCommitTask(DjangoTask):
    """Celery's Django task, enqueued once the transaction commits — and if the broker is down
    then, the failure is logged instead of raised into the request that already committed (a
    publish must never fail for its follow-up work; periodic reconciliation redoes that work)."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._enqueue, args, kwargs), robust=True)

    def delay_on_commit_once(self, *args, **kwargs) -> None:
        """`delay_on_commit`, unless this very call already waits for the same commit: two
        owners of one follow-up (a save and the publication pipeline) then send one message."""
        for _savepoints, callback, _robust in transaction.get_connection().run_on_commit:
            if (
                isinstance(callback, functools.partial)
                and callback.func == self._enqueue
                and callback.args == (args, kwargs)
            ):
                return
        self.delay_on_commit(*args, **kwargs)

    def _enqueue(self, args, kwargs, **options) -> None:
        try:
            self.apply_async(args, kwargs, **options)
        except Exception:
            logger.exception("Could not enqueue %s: the broker is unreachable", self.name)


app = Celery("masthead", task_cls="config.celery:AfterCommitTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Three queues, so bulk work never delays what readers and editors wait for:
# - realtime: scheduled publishing, view flushes, notifications — seconds matter;
# - default: per-article follow-up work (related articles, cache purges, search upkeep);
# - bulk: the nightly related-articles pass — minutes are fine.
# A worker started without -Q (as under `make run`) consumes all three.
app.conf.task_default_queue = "default"
app.conf.task_queues = (Queue("realtime"), Queue("default"), Queue("bulk"))
app.conf.task_routes = {
    "masthead.*": {"queue": "realtime"},
    "editorial.*": {"queue": "realtime"},
    "planning.*": {"queue": "realtime"},
    "releases.*": {"queue": "realtime"},
    "readership.flush_*": {"queue": "realtime"},
    "*.recompute_all_*": {"queue": "bulk"},
    "*.nightly_*": {"queue": "bulk"},
}

# Each periodic task takes its own lock and is idempotent, so a second beat (or a late run)
# does no harm (docs/operations-and-scaling.md, "Scaling out", names each mechanism);
# `expires` drops runs that waited in the queue past their next tick.
app.conf.beat_schedule = {
    "publish-scheduled-pages": {
        "task": "editorial.publish_scheduled_pages",
        "schedule": 2.0,
        "options": {"expires": 2.0},
    },
    # One pass per night however many beats send it (a claim in the cache); resumable, batched:
    # each batch enqueues the next; every list is replaced atomically.
    "recompute-all-related": {
        "task": "news.nightly_related",
        "schedule": crontab(hour=3, minute=30),
        "options": {"expires": 6 * 3600},
    },
    # Articles queued for their "Continue reading" refresh whose message was lost, or whose
    # worker died mid-batch (claims expire): drained in batches, each claimed SKIP LOCKED.
    "drain-related-queue": {
        "task": "news.drain_related_queue",
        "schedule": 30.0,
        "options": {"expires": 30.0},
    },
    # Publications whose follow-up messages the broker lost (it was down): redone idempotently.
    "reconcile-publish-follow-ups": {
        "task": "editorial.reconcile_publish_follow_ups",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
    "flush-view-buffer": {
        "task": "readership.flush_views",
        "schedule": 10.0,
        "options": {"expires": 10.0},
    },
    # Due-soon and overdue assignments: each reminder claimed with FOR UPDATE SKIP LOCKED.
    "planning-send-reminders": {
        "task": "planning.send_reminders",
        "schedule": float(settings.PLANNING_REMINDER_INTERVAL),
        "options": {"expires": float(settings.PLANNING_REMINDER_INTERVAL)},
    },
    # Release bundles: each due bundle claimed with FOR UPDATE SKIP LOCKED, released in one go.
    "release-bundles": {
        "task": "releases.release_due_bundles",
        "schedule": 2.0,
        "options": {"expires": 2.0},
    },
    "search-flush-query-hits": {
        "task": "search.flush_query_hits",
        "schedule": 60.0,
        "options": {"expires": 60.0},
    },
}


@app.task(name="masthead.ping", ignore_result=False)
def ping() -> str:
    """A trivial task: proves a message round-trips through the broker and a worker."""
    return "pong"
