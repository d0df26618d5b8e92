"""The News desk's workflow steps (group approval without self-approval, and the checklist),
and the marker of a publication whose follow-up work is not yet confirmed.

With re-approval on edit, Wagtail restarts review after any edit, the reviewer's own included.
The newsroom's rule: an approval covers the version its reviewer sees, so edits made while the
story waits at a step by that step's reviewers (a chief fixing a typo, the dek or the schedule
before approving) are part of that step's approval, and the earlier steps' approvals carry over;
an edit by anyone else since a step approved (a writer revising after changes were requested)
sends the story back to the first step whose approval it changed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.urls import reverse

from wagtail.models import AbstractGroupApprovalTask, Revision, TaskState, WorkflowTask

from editorial.checklist import missing_items


def may_approve_own_submission(user) -> bool:
    """Nobody approves their own submission; superusers only when the setting allows it."""
    return user.is_superuser and getattr(settings, "EDITORIAL_SUPERUSER_SELF_APPROVAL", False)


def step_order(workflow_state, task) -> int:
    return WorkflowTask.objects.get(
        workflow_id=workflow_state.workflow_id, task_id=task.pk
    ).sort_order


def edits_since(task_state):
    """The revisions of the story saved after this step started on its revision."""
    workflow_state = task_state.workflow_state
    return Revision.objects.filter(
        base_content_type_id=workflow_state.base_content_type_id,
        object_id=workflow_state.object_id,
        pk__gt=task_state.revision_id,
    ).select_related("user")


REVIEW_ACTIONS = [
    ("reject", "Request changes", True),
    ("approve", "Approve", False),
    ("approve", "Approve with comment", True),
]


class NewsroomApprovalTask(AbstractGroupApprovalTask):
    """Wagtail's group approval, except that the submitter cannot approve or reject their piece,
    that the step's reviewers' own edits do not restart review, and that a step nobody but the
    story's authors could review (the only editor's own story) is taken by the next step's
    reviewers (the chiefs)."""

    def next_step(self, workflow_state):
        """The step after this one in the story's workflow (None: this is the last)."""
        after = (
            WorkflowTask.objects.filter(
                workflow_id=workflow_state.workflow_id,
                sort_order__gt=step_order(workflow_state, self),
                task__active=True,
            )
            .order_by("sort_order")
            .select_related("task")
            .first()
        )
        return after.task.specific if after else None

    def possible_reviewers(self, obj):
        """The active members of this step's groups who are not the story's authors."""
        from editorial.publication_gate import author_ids

        return (
            get_user_model()
            .objects.filter(is_active=True, groups__in=self.groups.all())
            .exclude(pk__in=author_ids(obj.specific))
            .distinct()
        )

    def stand_in_step(self, obj):
        """The next step, whose reviewers take this one for `obj` because nobody in this step's
        groups but its own authors could (None: someone here can)."""
        state = obj.current_workflow_state
        if state is None or self.possible_reviewers(obj).exists():
            return None
        return self.next_step(state)

    def stands_in(self, obj, user) -> bool:
        state = obj.current_workflow_state
        step = self.next_step(state) if state is not None else None
        return (
            step is not None
            and step.groups.filter(id__in=user.groups.all()).exists()
            and not self.possible_reviewers(obj).exists()
        )

    def reviews_a_later_step(self, user) -> bool:
        """Whether `user` is in the groups of a step after this one in any of its workflows."""
        later = WorkflowTask.objects.none()
        for placed in WorkflowTask.objects.filter(task=self, workflow__active=True):
            later |= WorkflowTask.objects.filter(
                workflow_id=placed.workflow_id, sort_order__gt=placed.sort_order
            )
        reviewers_of_later_steps = NewsroomApprovalTask.groups.through.objects.filter(
            newsroomapprovaltask_id__in=later.values("task_id")
        ).values("group_id")
        return user.groups.filter(pk__in=reviewers_of_later_steps).exists()

    def may_review(self, obj, user) -> bool:
        if user is None:
            return False
        return user.is_superuser or self._user_in_groups(user) or self.stands_in(obj, user)

    def user_can_access_editor(self, obj, user):
        return self.may_review(obj, user)

    def locked_for_user(self, obj, user):
        return not self.may_review(obj, user)

    def editors_outside_step(self, task_state) -> list:
        """Who, other than this step's reviewers, changed the story since it reached the step
        (None stands for a change saved by no person)."""
        story = task_state.workflow_state.content_object
        found = []
        for revision in edits_since(task_state):
            if not self.may_review(story, revision.user) and revision.user not in found:
                found.append(revision.user)
        return found

    def cover_edits_made_at_this_step(self, task_state) -> None:
        """Approving covers the latest version when only this step's reviewers changed it
        since the step started: the step, and the approvals its version had, move to it."""
        latest = task_state.workflow_state.content_object.get_latest_revision()
        if latest is None or latest.pk == task_state.revision_id:
            return
        if self.editors_outside_step(task_state):
            return
        carried = TaskState.objects.filter(
            workflow_state_id=task_state.workflow_state_id,
            status=TaskState.STATUS_APPROVED,
            revision_id=task_state.revision_id,
        )
        for approved in carried:
            approved.copy(update_attrs={"revision": latest})
        task_state.revision = latest
        task_state.save(update_fields=["revision"])

    def start(self, workflow_state, user=None):
        # Resuming after changes were requested restarts the step that asked; when the story
        # changed since an earlier step approved it, that step reviews the new version first.
        first = workflow_state.get_next_task()
        if (
            first is not None
            and first.pk != self.pk
            and step_order(workflow_state, first) < step_order(workflow_state, self)
        ):
            return first.specific.start(workflow_state, user=user)
        return super().start(workflow_state, user=user)

    def is_own_submission(self, obj, user) -> bool:
        state = obj.current_workflow_state
        return state is not None and state.requested_by_id == user.pk

    def get_actions(self, obj, user):
        if self.is_own_submission(obj, user) and not may_approve_own_submission(user):
            return []
        return list(REVIEW_ACTIONS) if self.may_review(obj, user) else []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if not (user.is_superuser or self._user_in_groups(user)) and self.reviews_a_later_step(
            user
        ):
            waiting = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
            taken = [
                state.pk
                for state in waiting.select_related("workflow_state")
                if self.stands_in(state.workflow_state.content_object, user)
            ]
            states = TaskState.objects.filter(pk__in=taken) if taken else states
        if may_approve_own_submission(user):
            return states
        return states.exclude(workflow_state__requested_by=user)

    def get_template_for_action(self, action):
        return "editorial/workflow_action_modal.html"

    @transaction.atomic
    def on_action(self, task_state: TaskState, user, action_name, **kwargs):
        requested_by = task_state.workflow_state.requested_by_id
        if requested_by == user.pk and not may_approve_own_submission(user):
            raise PermissionDenied("You cannot review your own submission.")
        if action_name == "approve":
            self.cover_edits_made_at_this_step(task_state)
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve; never the person who submitted."

    class Meta:
        verbose_name = "Newsroom approval"
        verbose_name_plural = "Newsroom approvals"


def person_name(user) -> str:
    return "the system" if user is None else (user.get_full_name() or user.get_username())


def review_restart_message(approved: TaskState) -> str | None:
    """What to tell the reviewer whose approval went through but sent the story back to an
    earlier (or the same) step because someone else changed it (None: it did not)."""
    approved.refresh_from_db()
    workflow_state = approved.workflow_state
    current = workflow_state.current_task_state
    if (
        approved.status != TaskState.STATUS_APPROVED
        or workflow_state.status != workflow_state.STATUS_IN_PROGRESS
        or current is None
        or current.pk == approved.pk
        or step_order(workflow_state, current.task) > step_order(workflow_state, approved.task)
    ):
        return None
    step = current.task.name
    editors = approved.task.specific.editors_outside_step(approved)
    by = ", ".join(person_name(user) for user in editors) or "someone outside this step"
    return (
        f"“{workflow_state.content_object.get_latest_revision_as_object().title}” went back to "
        f"{step}: it was changed by {by} since {step} approved it, so {step} reviews it again."
    )


def stand_in_notice(page) -> str | None:
    """What to tell the person who just submitted `page` when nobody at its step can review it
    but its own authors (None: someone can)."""
    task = page.current_workflow_task
    if task is None or not isinstance(task.specific, NewsroomApprovalTask):
        return None
    step = task.specific.stand_in_step(page)
    if step is None:
        return None
    return (
        f"Nobody at {task.name} can review “{page.get_latest_revision_as_object().title}” but "
        f"its own author, so the reviewers of {step.name} take this step; they have been emailed."
    )


class PublicationChecklistTask(NewsroomApprovalTask):
    """Group approval that refuses while the article fails the publication checklist."""

    def missing_items(self, task_state: TaskState) -> list[str]:
        article = task_state.workflow_state.content_object.specific.get_latest_revision_as_object()
        from news.models import ArticlePage  # news.models imports editorial's panels

        return missing_items(article) if isinstance(article, ArticlePage) else []

    def get_actions(self, obj, user):
        # Every approval opens the modal, which shows the checklist before anything is sent.
        return [
            (name, label, name == "approve" or modal)
            for name, label, modal in super().get_actions(obj, user)
        ]

    def get_template_for_action(self, action):
        if action == "approve":
            return "editorial/checklist_action_modal.html"
        return super().get_template_for_action(action)

    def refusal(self, task_state: TaskState, user):
        """Why approving this last step, which publishes, is refused (the publication gate)."""
        from editorial import publication_gate

        article = task_state.workflow_state.content_object.specific.get_latest_revision_as_object()
        return publication_gate.refusal(article, user)

    @transaction.atomic
    def on_action(self, task_state: TaskState, user, action_name, **kwargs):
        if action_name == "approve" and self.refusal(task_state, user) is not None:
            # Not approved: send the reviewer to the gate's reasons.
            checklist = reverse("editorial:checklist", args=[task_state.workflow_state.object_id])
            return f"{checklist}?refused=approve"
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return (
            "Members of the chosen groups approve, once the article has a dek, a lead image "
            "with alt text, a tag, a byline, and a source link if aggregated."
        )

    class Meta:
        verbose_name = "Publication checklist"
        verbose_name_plural = "Publication checklists"


class PublishFollowUp(models.Model):
    """An article publication whose follow-up work (its "Continue reading" list and its
    neighbours', the page cache and CDN purge, the publication email, the search index) is not
    yet known to have reached the broker.

    Written in the publish transaction, deleted by a task enqueued with the follow-up work: a
    row still here after a grace period means the broker lost those messages (it was down when
    the publish committed), and `editorial.reconcile_publish_follow_ups` redoes the work.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    recorded_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Follow-up of page {self.page_id} published at {self.recorded_at:%Y-%m-%d %H:%M:%S}"
