"""Signal receivers: one line each, connected in EditorialConfig.ready().

Workflow emails leave through Celery: Wagtail's in-request receivers are replaced by these
(`route_notifications_through_celery`). A publication's emails are a step of the publication
pipeline (publishing/pipeline.py); a scheduled go-live is announced here, from its log entry.
"""

import uuid

from django.db.models.signals import post_save

from wagtail.admin import signal_handlers as wagtail_mail_receivers
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

from editorial import notifications, tasks


def _enqueue(event: str):
    def receiver(sender, instance, user=None, **kwargs):
        tasks.send_notification.delay_on_commit(
            event, instance.pk, user.pk if user else None, uuid.uuid4().hex
        )

    return receiver


def announce_schedule(sender, instance: PageLogEntry, created: bool, **kwargs):
    if created and instance.action == notifications.SCHEDULE_ACTION:
        tasks.send_notification.delay_on_commit(
            "publication", instance.pk, None, notifications.publication_key(instance.pk)
        )


# Kept at module level so the weak signal references stay alive.
RECEIVERS = {event: _enqueue(event) for event in notifications.NOTIFIERS}


def route_notifications_through_celery() -> None:
    """Replace Wagtail's in-request email receivers with ours (AppConfig.ready)."""
    signals = {
        "task_submitted": (task_submitted, TaskState),
        "workflow_submitted": (workflow_submitted, WorkflowState),
        "workflow_approved": (workflow_approved, WorkflowState),
        "workflow_rejected": (workflow_rejected, WorkflowState),
    }
    wagtail_receivers = {
        "task_submitted": wagtail_mail_receivers.task_submission_email_notifier,
        "workflow_submitted": wagtail_mail_receivers.workflow_submission_email_notifier,
        "workflow_approved": wagtail_mail_receivers.workflow_approval_email_notifier,
        "workflow_rejected": wagtail_mail_receivers.workflow_rejection_email_notifier,
    }
    uids = {
        "task_submitted": "group_approval_task_submitted_email_notification",
        "workflow_submitted": "workflow_state_submitted_email_notification",
        "workflow_approved": "workflow_state_approved_email_notification",
        "workflow_rejected": "workflow_state_rejected_email_notification",
    }
    for event, (signal, sender) in signals.items():
        # Whichever app is ready first: drop Wagtail's receiver if it is connected, and claim
        # its dispatch_uid so that it is never connected afterwards.
        signal.disconnect(wagtail_receivers[event], sender=sender, dispatch_uid=uids[event])
        signal.connect(RECEIVERS[event], sender=sender, dispatch_uid=uids[event])
    post_save.connect(
        announce_schedule, sender=PageLogEntry, dispatch_uid="editorial_publication_email"
    )
