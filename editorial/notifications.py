"""Workflow and publication emails, sent by Celery after the admin request has committed.

Wagtail sends its workflow emails synchronously inside the request (wagtail/admin/mail.py).
Here its receivers are replaced by one-line ones that enqueue `editorial.send_notification`
on commit; the task then runs Wagtail's own notifiers (templates, preferences, languages),
plus two of ours: a rejection also reaches everyone who approved an earlier step, and a
publication or schedule reaches the article's owner and bylined staff.
"""

import logging
import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string

from wagtail.admin import signal_handlers as wagtail_mail_receivers
from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import PageLogEntry, TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted

logger = logging.getLogger(__name__)

PUBLICATION_ACTIONS = {
    "wagtail.publish": "published",
    "wagtail.publish.scheduled": "published",
    "wagtail.publish.schedule": "scheduled",
}


class RejectionNotifier(WorkflowStateRejectionEmailNotifier):
    """Wagtail tells only the submitter; the whole chain before the rejection hears too."""

    def get_recipient_users(self, workflow_state: WorkflowState, **kwargs):
        triggering_user = kwargs.get("user")
        earlier_reviewers = get_user_model().objects.filter(
            pk__in=workflow_state.task_states.filter(status=TaskState.STATUS_APPROVED)
            .exclude(finished_by=None)
            .values("finished_by")
        )
        recipients = set(earlier_reviewers)
        if workflow_state.requested_by is not None:
            recipients.add(workflow_state.requested_by)
        recipients.discard(triggering_user)
        return recipients


NOTIFIERS = {
    "task_submitted": (TaskState, GroupApprovalTaskStateSubmissionEmailNotifier()),
    "workflow_submitted": (WorkflowState, WorkflowStateSubmissionEmailNotifier()),
    "workflow_approved": (WorkflowState, WorkflowStateApprovalEmailNotifier()),
    "workflow_rejected": (WorkflowState, RejectionNotifier()),
}


def publication_recipients(page) -> set:
    people = {page.owner} if page.owner else set()
    bylines = getattr(page.specific, "bylines", None)
    if bylines is not None:
        people |= {byline.profile.user for byline in bylines.select_related("profile__user")}
    return {person for person in people if person and person.is_active and person.email}


def send_publication_email(log_entry: PageLogEntry) -> int:
    kind = PUBLICATION_ACTIONS[log_entry.action]
    page = log_entry.page.specific
    context = {
        "page": page,
        "kind": kind,
        "go_live_at": log_entry.data.get("revision", {}).get("go_live_at"),
        "base_url": settings.WAGTAILADMIN_BASE_URL,
    }
    recipients = publication_recipients(page)
    for recipient in recipients:
        context["user"] = recipient
        send_mail(
            render_to_string("editorial/notifications/publication_subject.txt", context).strip(),
            render_to_string("editorial/notifications/publication.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            [recipient.email],
        )
    return len(recipients)


def send(event: str, object_id: int, user_id: int | None, key: str) -> None:
    """Send one notification once: a redelivered task (same `key`) does not email twice.

    The once-only marker lives in the cache, which swallows its errors (`add` then answers
    None, not False). Without it the email goes out anyway: a rare duplicate beats a
    notification silently lost.
    """
    marked = cache.add(f"editorial:notified:{key}", 1, timeout=7 * 24 * 3600)
    if marked is False:
        logger.info("Notification %s for %s already sent", event, object_id)
        return
    if marked is None:
        logger.warning("Notification %s for %s sent without a once-only marker", event, object_id)
    if event == "publication":
        entry = PageLogEntry.objects.filter(pk=object_id).select_related("page").first()
        if entry is not None and entry.page is not None:
            send_publication_email(entry)
        return
    model, notifier = NOTIFIERS[event]
    instance = model.objects.filter(pk=object_id).first()
    if instance is None:
        return
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    notifier(instance=instance.specific if model is TaskState else instance, user=user)


def _enqueue(event: str):
    def receiver(sender, instance, user=None, **kwargs):
        from editorial.tasks import send_notification

        send_notification.delay_on_commit(
            event, instance.pk, user.pk if user else None, uuid.uuid4().hex
        )

    return receiver


def _enqueue_publication(sender, instance: PageLogEntry, created: bool, **kwargs):
    if created and instance.action in PUBLICATION_ACTIONS:
        from editorial.tasks import send_notification

        # Keyed by log entry, so the reconciliation of a lost publish never emails twice.
        send_notification.delay_on_commit(
            "publication", instance.pk, None, f"publication:{instance.pk}"
        )


# Kept at module level so the weak signal references stay alive.
RECEIVERS = {event: _enqueue(event) for event in NOTIFIERS}


def route_notifications_through_celery() -> None:
    """Replace Wagtail's in-request email receivers with ours (AppConfig.ready)."""
    from django.db.models.signals import post_save

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
        _enqueue_publication, sender=PageLogEntry, dispatch_uid="editorial_publication_email"
    )
