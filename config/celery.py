"""The Celery app and its beat schedule: the one place periodic work is declared."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("masthead", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Each periodic task takes its own lock and is idempotent, so a second beat (or a late run)
# does no harm; `expires` drops runs that waited in the queue past their next tick.
app.conf.beat_schedule = {
    "publish-scheduled-pages": {
        "task": "editorial.publish_scheduled_pages",
        "schedule": 2.0,
        "options": {"expires": 2.0},
    },
    "flush-view-buffer": {
        "task": "readership.flush_views",
        "schedule": 10.0,
        "options": {"expires": 10.0},
    },
}


@app.task(name="masthead.ping", ignore_result=False)
def ping() -> str:
    """A trivial task: proves a message round-trips through the broker and a worker."""
    return "pong"
