"""Pitches and assignments.

An assignment's status is never stored: `AssignmentQuerySet.with_status()` reads it from the
linked article's real state (its workflow, its approved schedule, whether it is live), so the
budget cannot drift from what the editors actually did to the story.
"""

from datetime import datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Page, Revision, WorkflowState, WorkflowTask

from planning import access


class PitchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Own pitches, every pitch of a section `user` runs, accepted pitches of their sections."""
        if access.plans_every_section(user):
            return self
        members = access.member_section_ids(user) or ()
        return self.filter(
            Q(proposer=user)
            | Q(section_id__in=access.desk_section_ids(user) or ())
            | Q(state=Pitch.State.ACCEPTED, section_id__in=members)
        )

    def awaiting_decision(self):
        return self.filter(state=Pitch.State.PROPOSED)


class Pitch(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        PARKED = "parked", "Parked"

    idea = models.CharField("headline idea", max_length=255)
    summary = models.TextField(blank=True, help_text="What the story is and why now.")
    section = models.ForeignKey(
        "news.NewsIndexPage", on_delete=models.PROTECT, related_name="pitches"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pitches", editable=False
    )
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.PROPOSED, editable=False
    )
    decline_reason = models.TextField(blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PitchQuerySet.as_manager()

    panels = [FieldPanel("idea"), FieldPanel("summary"), FieldPanel("section", widget=forms.Select)]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "pitches"
        permissions = [("plan_every_section", "Can plan every section")]

    def __str__(self) -> str:
        return self.idea

    def decide(self, state: str, *, user, reason: str = "") -> None:
        self.state = state
        self.decline_reason = reason if state == self.State.DECLINED else ""
        self.decided_by = user
        self.decided_at = timezone.now()
        self.save(update_fields=["state", "decline_reason", "decided_by", "decided_at"])


class Priority(models.IntegerChoices):
    TOP = 1, "Top"
    NORMAL = 2, "Normal"
    LOW = 3, "Low"


class Status(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    FILED = "filed", "Filed"
    IN_EDIT = "in_edit", "In edit"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    KILLED = "killed", "Killed"


# Still with the assignee: late once the due time has passed.
OPEN_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)


# What a budget row shows of its people and section: a day of 300 rows builds no page's
# search, SEO or revision columns and no password hashes.
BUDGET_PERSON_FIELDS = ("user__username", "user__first_name", "user__last_name")
BUDGET_UNUSED_SECTION_FIELDS = ("intro", "seo_title", "search_description", "draft_title")


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Assignments of the sections `user` runs, and those `user` is on."""
        if access.plans_every_section(user):
            return self
        return self.filter(
            Q(section_id__in=access.desk_section_ids(user) or ())
            | Q(pk__in=AssignmentRole.objects.filter(user=user).values("assignment_id"))
        )

    def with_status(self):
        """`status` (and `task_name` while in a workflow) read from the linked article."""
        page_type = ContentType.objects.get_for_model(Page)
        article_id = Cast(OuterRef("article_id"), CharField())
        workflow = WorkflowState.objects.filter(
            base_content_type_id=page_type.pk,
            object_id=article_id,
            status=WorkflowState.STATUS_IN_PROGRESS,
        )
        task_order = WorkflowTask.objects.filter(
            workflow_id=OuterRef("workflow_id"), task_id=OuterRef("current_task_state__task_id")
        ).values("sort_order")[:1]
        scheduled = Revision.objects.filter(
            base_content_type_id=page_type.pk,
            object_id=article_id,
            approved_go_live_at__isnull=False,
        )
        return self.annotate(
            task_name=Subquery(workflow.values("current_task_state__task__name")[:1]),
            task_order=Subquery(workflow.annotate(order=Subquery(task_order)).values("order")[:1]),
            go_live_at=Subquery(scheduled.order_by("-pk").values("approved_go_live_at")[:1]),
            is_scheduled=Exists(scheduled),
            status=Case(
                When(killed_at__isnull=False, then=Value(Status.KILLED)),
                When(article__isnull=True, then=Value(Status.ASSIGNED)),
                When(article__live=True, then=Value(Status.PUBLISHED)),
                When(is_scheduled=True, then=Value(Status.SCHEDULED)),
                When(task_order__gt=0, then=Value(Status.IN_EDIT)),
                When(task_name__isnull=False, then=Value(Status.FILED)),
                default=Value(Status.IN_PROGRESS),
                output_field=CharField(),
            ),
        )

    def for_budget(self):
        return (
            self.with_status()
            .select_related("section")
            .defer(*(f"section__{name}" for name in BUDGET_UNUSED_SECTION_FIELDS))
            .prefetch_related(
                Prefetch(
                    "assignees",
                    queryset=AssignmentRole.objects.select_related("user").only(
                        "assignment_id", "role", "sort_order", *BUDGET_PERSON_FIELDS
                    ),
                )
            )
            .order_by("section__path", F("slot_at").asc(nulls_last=True), "due_at", "pk")
        )

    def planned_between(self, start: datetime, end: datetime):
        """Slotted in [start, end), or without a slot and due then."""
        return self.filter(
            Q(slot_at__gte=start, slot_at__lt=end)
            | Q(slot_at__isnull=True, due_at__gte=start, due_at__lt=end)
        )

    def of(self, user):
        return self.filter(assignees__user=user).distinct()


class Assignment(ClusterableModel):
    headline = models.CharField("working headline", max_length=255)
    section = models.ForeignKey(
        "news.NewsIndexPage", on_delete=models.PROTECT, related_name="assignments"
    )
    pitch = models.OneToOneField(
        Pitch,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignment",
        editable=False,
    )
    due_at = models.DateTimeField("due", help_text="When the copy is due on the desk.")
    slot_at = models.DateTimeField(
        "planned slot", null=True, blank=True, help_text="When the story is meant to go live."
    )
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.NORMAL)
    word_target = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    article = models.OneToOneField(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignment",
        editable=False,
    )
    killed_at = models.DateTimeField("killed", null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    panels = [
        FieldPanel("headline"),
        FieldPanel("section", widget=forms.Select),
        FieldPanel("due_at"),
        FieldPanel("slot_at"),
        FieldPanel("priority"),
        FieldPanel("word_target"),
        FieldPanel("notes"),
        InlinePanel("assignees", label="Assignees", min_num=1),
    ]

    class Meta:
        ordering = ["due_at", "pk"]
        indexes = [
            models.Index(fields=["slot_at"], name="planning_assignment_slot"),
            models.Index(fields=["due_at"], name="planning_assignment_due"),
        ]

    def __str__(self) -> str:
        return self.headline

    @property
    def status_label(self) -> str:
        label = Status(self.status).label
        if self.status in (Status.FILED, Status.IN_EDIT) and self.task_name:
            return f"{label} ({self.task_name})"
        return label

    def lateness(self, *, now: datetime | None = None) -> timedelta | None:
        """How long past due, while the copy is still with the assignee."""
        now = now or timezone.now()
        if self.status in OPEN_STATUSES and self.due_at < now:
            return now - self.due_at
        return None

    def reporters(self) -> list["AssignmentRole"]:
        return [role for role in self.assignees.all() if role.role == AssignmentRole.Role.REPORTER]

    def lead_assignee(self):
        people = self.reporters() or list(self.assignees.all())
        return people[0].user if people else None


class AssignmentRole(Orderable):
    """One person on an assignment, in one role."""

    class Role(models.TextChoices):
        REPORTER = "reporter", "Reporter"
        PHOTOGRAPHER = "photographer", "Photographer"
        EDITOR = "editor", "Editor"

    assignment = ParentalKey(Assignment, on_delete=models.CASCADE, related_name="assignees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="planning_roles"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REPORTER)

    panels = [FieldPanel("user"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user", "role"], name="planning_one_role_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Reminder(models.Model):
    """One reminder sent: at most one per assignment and threshold, ever (its unique key)."""

    class Threshold(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    threshold = models.CharField(max_length=16, choices=Threshold.choices)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "threshold"], name="planning_one_reminder_per_threshold"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_threshold_display()}: {self.assignment}"
