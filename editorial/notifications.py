"""Workflow and publication emails, sent by Celery after the admin request has committed.

Wagtail sends its workflow emails synchronously inside the request (wagtail/admin/mail.py).
Here its receivers are replaced by one-line ones (editorial/signals.py) that enqueue
`editorial.send_notification` on commit; the task then runs Wagtail's own notifiers
(templates, preferences, languages), plus two of ours: a rejection also reaches everyone who
approved an earlier step, and a publication or schedule reaches the article's owner and
bylined staff. A publication's emails are a step of the publication pipeline
(publishing/pipeline.py), so the broker-outage recovery sends them too.
"""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string

from wagtail.admin.mail import (
    GroupApprovalTaskStateSubmissionEmailNotifier,
    WorkflowStateApprovalEmailNotifier,
    WorkflowStateRejectionEmailNotifier,
    WorkflowStateSubmissionEmailNotifier,
)
from wagtail.models import PageLogEntry, TaskState, WorkflowState

logger = logging.getLogger(__name__)

PUBLICATION_ACTIONS = {
    "wagtail.publish": "published",
    "wagtail.publish.scheduled": "published",
    "wagtail.publish.schedule": "scheduled",
}
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
SCHEDULE_ACTION = "wagtail.publish.schedule"


class RejectionNotifier(WorkflowStateRejectionEmailNotifier):
    """Wagtail tells only the submitter; the whole chain before the rejection hears too. The
    email says "changes requested", as the desk does, not Wagtail's "rejected"."""

    def get_template_set(self, instance, **kwargs):
        # Our templates; the notification stays "rejected" for the users' email preferences.
        base = "editorial/notifications/workflow_state_changes_requested"
        return {"subject": f"{base}_subject.txt", "text": f"{base}.txt", "html": f"{base}.html"}

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


class StepSubmissionNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Wagtail's "submitted to <step>" email to the step's reviewers; when nobody there but the
    story's own authors could take the step (the only editor's story at Copy edit), to the next
    step's reviewers too, who take it (editorial.models), saying so."""

    def stand_in_step(self, task_state: TaskState):
        from editorial.models import NewsroomApprovalTask

        task = task_state.task.specific
        if not isinstance(task, NewsroomApprovalTask):
            return None
        return task.stand_in_step(task_state.workflow_state.content_object)

    def get_recipient_users(self, task_state: TaskState, **kwargs):
        recipients = super().get_recipient_users(task_state, **kwargs)
        step = self.stand_in_step(task_state)
        if step is None:
            return recipients
        stand_ins = get_user_model().objects.filter(groups__in=step.groups.all())
        if kwargs.get("user") is not None:
            stand_ins = stand_ins.exclude(pk=kwargs["user"].pk)
        return (recipients | stand_ins).distinct()

    def get_context(self, task_state: TaskState, **kwargs):
        return {
            **super().get_context(task_state, **kwargs),
            "stand_in_step": self.stand_in_step(task_state),
        }

    def get_template_set(self, instance, **kwargs):
        return {
            kind: path.replace("wagtailadmin/notifications/", "editorial/notifications/")
            for kind, path in super().get_template_set(instance, **kwargs).items()
        }


class ApprovalNotifier(WorkflowStateApprovalEmailNotifier):
    """Wagtail's "approved" email, its link to the story at the public origin (`public_link`)."""

    def get_context(self, workflow_state: WorkflowState, **kwargs):
        context = super().get_context(workflow_state, **kwargs)
        if "page" in context:
            context["public_link"] = public_link(context["page"])
        return context

    def get_template_set(self, instance, **kwargs):
        if not hasattr(instance.content_object, "full_url"):
            return super().get_template_set(instance, **kwargs)
        return {
            kind: path.replace("wagtailadmin/notifications/", "editorial/notifications/")
            for kind, path in super().get_template_set(instance, **kwargs).items()
        }


NOTIFIERS = {
    "task_submitted": (TaskState, StepSubmissionNotifier()),
    "workflow_submitted": (WorkflowState, WorkflowStateSubmissionEmailNotifier()),
    "workflow_approved": (WorkflowState, ApprovalNotifier()),
    "workflow_rejected": (WorkflowState, RejectionNotifier()),
}


def publication_recipients(page) -> set:
    people = {page.owner} if page.owner else set()
    bylines = getattr(page.specific, "bylines", None)
    if bylines is not None:
        people |= {byline.profile.user for byline in bylines.select_related("profile__user")}
    return {person for person in people if person and person.is_active and person.email}


def public_link(page) -> str:
    """The story's address for readers. An email has no request to take a host from: the
    public origin is PUBLIC_BASE_URL when set (the site's own root otherwise)."""
    if settings.PUBLIC_BASE_URL:
        return settings.PUBLIC_BASE_URL + page.relative_url(page.get_site())
    return page.full_url


def send_publication_email(log_entry: PageLogEntry) -> int:
    kind = PUBLICATION_ACTIONS[log_entry.action]
    page = log_entry.page.specific
    context = {
        "page": page,
        "public_link": public_link(page),
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


def publication_key(entry_id: int) -> str:
    """Keyed by log entry: the publish and its recovery never email twice."""
    return f"publication:{entry_id}"


def send_publication_emails(*, page_id: int, since: datetime) -> None:
    """The emails of the page's publications logged since `since`, each sent once."""
    for entry_id in PageLogEntry.objects.filter(
        page_id=page_id, action__in=PUBLISH_ACTIONS, timestamp__gte=since
    ).values_list("pk", flat=True):
        send("publication", entry_id, None, publication_key(entry_id))
