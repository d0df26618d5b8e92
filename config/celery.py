"""The Celery app and its beat schedule: the one place periodic work is declared."""

import functools
import logging
import os

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

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        transaction.on_commit(
            functools.partial(self._enqueue, args or (), kwargs or {}, **options), robust=True
        )

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
# - bulk: nightly recomputes, index rebuilds — minutes are fine.
# A worker started without -Q (as under `make run`) consumes all three.
app.conf.task_default_queue = "default"
app.conf.task_queues = (Queue("realtime"), Queue("default"), Queue("bulk"))
app.conf.task_routes = {
    "masthead.*": {"queue": "realtime"},
    "editorial.*": {"queue": "realtime"},
    "readership.flush_*": {"queue": "realtime"},
    "*.notify_*": {"queue": "realtime"},
    "*.recompute_all_*": {"queue": "bulk"},
    "*.rebuild_*": {"queue": "bulk"},
    "*.nightly_*": {"queue": "bulk"},
}

# Each periodic task takes its own lock and is idempotent, so a second beat (or a late run)
# does no harm (README, "Scaling out", names each mechanism); `expires` drops runs that waited
# in the queue past their next tick.
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
