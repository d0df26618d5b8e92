"""The News desk's workflow steps (group approval without self-approval, and the checklist),
and the marker of a publication whose follow-up work is not yet confirmed."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.urls import reverse

from wagtail.models import AbstractGroupApprovalTask, TaskState

from editorial.checklist import missing_items


def may_approve_own_submission(user) -> bool:
    """Nobody approves their own submission; superusers only when the setting allows it."""
    return user.is_superuser and getattr(settings, "EDITORIAL_SUPERUSER_SELF_APPROVAL", False)


class NewsroomApprovalTask(AbstractGroupApprovalTask):
    """Wagtail's group approval, except that the submitter cannot approve or reject their piece."""

    def is_own_submission(self, obj, user) -> bool:
        state = obj.current_workflow_state
        return state is not None and state.requested_by_id == user.pk

    def get_actions(self, obj, user):
        if self.is_own_submission(obj, user) and not may_approve_own_submission(user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if may_approve_own_submission(user):
            return states
        return states.exclude(workflow_state__requested_by=user)

    @transaction.atomic
    def on_action(self, task_state: TaskState, user, action_name, **kwargs):
        requested_by = task_state.workflow_state.requested_by_id
        if requested_by == user.pk and not may_approve_own_submission(user):
            raise PermissionDenied("You cannot review your own submission.")
        return super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve; never the person who submitted."

    class Meta:
        verbose_name = "Newsroom approval"
        verbose_name_plural = "Newsroom approvals"


class PublicationChecklistTask(NewsroomApprovalTask):
    """Group approval that refuses while the article fails the publication checklist."""

    def missing_items(self, task_state: TaskState) -> list[str]:
        article = task_state.workflow_state.content_object.specific.get_latest_revision_as_object()
        return missing_items(article) if hasattr(article, "dek") else []

    def get_actions(self, obj, user):
        # Every approval opens the modal, which shows the checklist before anything is sent.
        return [
            (name, label, name == "approve" or modal)
            for name, label, modal in super().get_actions(obj, user)
        ]

    def get_template_for_action(self, action):
        return "editorial/checklist_action_modal.html" if action == "approve" else ""

    @transaction.atomic
    def on_action(self, task_state: TaskState, user, action_name, **kwargs):
        if action_name == "approve" and self.missing_items(task_state):
            # Not approved: send the reviewer to the list of what is missing.
            return reverse("editorial:checklist", args=[task_state.workflow_state.object_id])
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
