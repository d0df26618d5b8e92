"""Due-soon and overdue reminders, exactly once per assignment and threshold.

The scheduler's claim pattern (editorial/scheduling.py): each candidate assignment is claimed
with `SELECT ... FOR UPDATE SKIP LOCKED` and re-checked in the same transaction, so two beats
(or two workers) at once take different rows; the email is handed to the mail server inside
that transaction and the `Reminder` row (unique per assignment and threshold) commits with it.
A worker killed mid-send rolls the claim back and the next tick sends again, whole; the one
window left is between the server's "250 OK" and the COMMIT.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import timezone

from wagtail.log_actions import log
from wagtail.permission_policies.pages import PagePermissionPolicy

from planning.desk import REMIND
from planning.models import OPEN_STATUSES, Assignment, Reminder

logger = logging.getLogger(__name__)

DUE_SOON = timedelta(hours=1)


@dataclass
class ReminderRun:
    sent: list[tuple[int, str]] = field(default_factory=list)


def threshold_at(assignment: Assignment, now: datetime) -> str | None:
    if assignment.due_at <= now:
        return Reminder.Threshold.OVERDUE
    if assignment.due_at <= now + DUE_SOON:
        return Reminder.Threshold.DUE_SOON
    return None


def recipients_of(assignment: Assignment) -> list[str]:
    """The people on the assignment and the section's desk (whoever may change its pages)."""
    people = {role.user for role in assignment.assignees.select_related("user")}
    people |= set(
        PagePermissionPolicy().users_with_permission_for_instance(
            "change", assignment.section, include_superusers=False
        )
    )
    return sorted(person.email for person in people if person.is_active and person.email)


def send_reminder(assignment: Assignment, threshold: str) -> list[str]:
    recipients = recipients_of(assignment)
    context = {
        "assignment": assignment,
        "threshold": Reminder.Threshold(threshold).label,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "time_zone": settings.TIME_ZONE,
    }
    if recipients:
        send_mail(
            render_to_string("planning/reminder_subject.txt", context).strip(),
            render_to_string("planning/reminder.txt", context),
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )
    return recipients


def candidates(now: datetime) -> list[tuple[int, str]]:
    """(assignment id, threshold) of open assignments past a threshold not yet reminded of."""
    reminded = {
        threshold: Exists(Reminder.objects.filter(assignment=OuterRef("pk"), threshold=threshold))
        for threshold in Reminder.Threshold.values
    }
    due = (
        Assignment.objects.with_status()
        .filter(status__in=OPEN_STATUSES, due_at__lte=now + DUE_SOON)
        .annotate(**{f"reminded_{name}": exists for name, exists in reminded.items()})
        .order_by("due_at", "pk")
    )
    found = []
    for assignment in due:
        threshold = threshold_at(assignment, now)
        if threshold and not getattr(assignment, f"reminded_{threshold}"):
            found.append((assignment.pk, threshold))
    return found


def run_reminders(*, now: datetime | None = None) -> ReminderRun:
    now = now or timezone.now()
    run = ReminderRun()
    for assignment_id, threshold in candidates(now):
        with transaction.atomic():
            assignment = (
                Assignment.objects.select_for_update(skip_locked=True, of=("self",))
                .select_related("section")
                .filter(pk=assignment_id, killed_at__isnull=True)
                .first()
            )
            if assignment is None:
                continue
            if Reminder.objects.filter(assignment=assignment, threshold=threshold).exists():
                continue
            recipients = send_reminder(assignment, threshold)
            Reminder.objects.create(
                assignment=assignment,
                threshold=threshold,
                sent_at=timezone.now(),
                recipients=recipients,
            )
            log(assignment, REMIND, data={"threshold": threshold, "recipients": recipients})
            run.sent.append((assignment_id, threshold))
            logger.info("Reminded %s of assignment %s (%s)", recipients, assignment_id, threshold)
    return run
