"""The News desk workflow driven through the admin as each role: outcomes and non-events."""

from django.core import mail

from wagtail.models import PageLogEntry, TaskState, WorkflowState

import pytest

from editorial.newsroom import COPY_EDIT, PUBLICATION_APPROVAL
from news.models import ArticlePage
from tests.editorial.conftest import (
    assert_denied,
    complete_article,
    current_task_state,
    edit_form,
    submit_for_review,
    workflow_action,
)

pytestmark = pytest.mark.django_db


def test_writer_submits_own_draft_into_copy_edit(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"])

    response = submit_for_review(as_role("writer"), article)

    assert response.status_code == 302
    state = current_task_state(article)
    assert state.task.name == COPY_EDIT
    assert state.workflow_state.workflow.name == "News desk"
    assert state.workflow_state.requested_by == staff["writer"]
    article.refresh_from_db()
    assert article.live is False


def test_writer_cannot_publish_even_by_posting_the_publish_button(newsroom, staff, as_role):
    writer = as_role("writer")
    article = complete_article(newsroom["news"], staff["writer"])
    data = edit_form(writer, article)
    data["action-publish"] = "Publish"

    writer.post(f"/admin/pages/{article.pk}/edit/", data)

    article.refresh_from_db()
    assert article.live is False
    assert article.first_published_at is None
    assert not PageLogEntry.objects.filter(page=article, action="wagtail.publish").exists()


def test_editor_approves_copy_edit_with_comment_then_chief_approval_publishes(
    newsroom, staff, as_role
):
    article = complete_article(newsroom["news"], staff["writer"])
    submit_for_review(as_role("writer"), article)

    response = workflow_action(as_role("editor"), article, "approve", "Tightened the top.")
    assert response.status_code == 200
    first = TaskState.objects.get(task__name=COPY_EDIT, workflow_state__object_id=str(article.pk))
    assert first.status == TaskState.STATUS_APPROVED
    assert first.finished_by == staff["editor"]
    assert first.get_comment() == "Tightened the top."
    assert current_task_state(article).task.name == PUBLICATION_APPROVAL
    article.refresh_from_db()
    assert article.live is False

    workflow_action(as_role("chief"), article, "approve")

    article.refresh_from_db()
    assert article.live is True
    assert article.current_workflow_state is None
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish").count() == 1


def test_editor_cannot_approve_the_chiefs_step(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"])
    submit_for_review(as_role("writer"), article)
    workflow_action(as_role("editor"), article, "approve")

    response = workflow_action(as_role("editor"), article, "approve")

    assert response.status_code == 403
    state = current_task_state(article)
    assert state.task.name == PUBLICATION_APPROVAL
    assert state.status == TaskState.STATUS_IN_PROGRESS
    article.refresh_from_db()
    assert article.live is False


def assert_refused_as_own_submission(response):
    """The dashboard's modal is sent back to the dashboard, where the gate's refusal is shown."""
    assert response.status_code == 200
    assert response.json()["redirect"] == "/admin/"


def test_writer_cannot_approve_copy_edit(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"])
    submit_for_review(as_role("writer"), article)

    response = workflow_action(as_role("writer"), article, "approve")

    assert_refused_as_own_submission(response)
    state = current_task_state(article)
    assert (state.task.name, state.status) == (COPY_EDIT, TaskState.STATUS_IN_PROGRESS)


def test_editor_cannot_approve_their_own_submission(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["editor"])
    submit_for_review(as_role("editor"), article)

    response = workflow_action(as_role("editor"), article, "approve")

    assert_refused_as_own_submission(response)
    state = current_task_state(article)
    assert (state.task.name, state.status) == (COPY_EDIT, TaskState.STATUS_IN_PROGRESS)
    assert not TaskState.objects.filter(status=TaskState.STATUS_APPROVED).exists()


def test_superuser_cannot_approve_own_submission_unless_allowed(
    newsroom, staff, django_user_model, settings
):
    from django.test import Client

    boss = django_user_model.objects.create_superuser("boss", "boss@masthead.test", "pw")
    client = Client()
    client.force_login(boss)
    article = complete_article(newsroom["news"], staff["writer"], title="Boss piece")
    article.owner = boss
    article.save()
    submit_for_review(client, article)

    assert_refused_as_own_submission(workflow_action(client, article, "approve"))
    assert current_task_state(article).status == TaskState.STATUS_IN_PROGRESS

    settings.EDITORIAL_SUPERUSER_SELF_APPROVAL = True
    workflow_action(client, article, "approve")
    assert current_task_state(article).task.name == PUBLICATION_APPROVAL


def test_rejection_returns_to_author_with_comment_and_notifies_the_chain(
    newsroom, staff, as_role, django_capture_on_commit_callbacks, celery_eager
):
    article = complete_article(newsroom["news"], staff["writer"])
    with django_capture_on_commit_callbacks(execute=True):
        submit_for_review(as_role("writer"), article)
        workflow_action(as_role("editor"), article, "approve")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        workflow_action(as_role("chief"), article, "reject", "Needs a second source.")

    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert state.current_task_state.get_comment() == "Needs a second source."
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["editor@masthead.test", "writer@masthead.test"]
    assert all("Needs a second source." in message.body for message in mail.outbox)
    article.refresh_from_db()
    assert article.live is False


def approve_in_editor(client, page, **changes):
    """The reviewer edits the story in the editor and clicks Approve (the edit is saved first)."""
    data = edit_form(client, page)
    data.update(changes)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = "approve"
    data["workflow-action-extra-data"] = '{"comment": ""}'
    return client.post(f"/admin/pages/{page.pk}/edit/", data, follow=True)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def at_publication_approval(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"])
    submit_for_review(as_role("writer"), article)
    workflow_action(as_role("editor"), article, "approve")
    assert current_task_state(article).task.name == PUBLICATION_APPROVAL
    return article


def test_chief_fixing_the_dek_at_publication_approval_and_approving_publishes_the_fix(
    newsroom, staff, as_role
):
    article = at_publication_approval(newsroom, staff, as_role)
    chief = as_role("chief")

    response = approve_in_editor(chief, article, dek="A dek with the typo fixed.")

    article.refresh_from_db()
    assert article.live is True
    assert article.dek == "A dek with the typo fixed."
    assert article.current_workflow_state is None
    assert not TaskState.objects.filter(
        workflow_state__object_id=str(article.pk), status=TaskState.STATUS_IN_PROGRESS
    ).exists()  # Copy edit was not started again
    assert not any("went back" in message for message in shown_messages(response))
    # The approval recorded on the published version is the chief's own, with Copy edit's kept.
    approved = TaskState.objects.filter(
        revision=article.live_revision, status=TaskState.STATUS_APPROVED
    )
    assert sorted((s.task.name, s.finished_by.username) for s in approved) == [
        (COPY_EDIT, "editor"),
        (PUBLICATION_APPROVAL, "chief"),
    ]


def test_chief_saving_a_fix_then_approving_later_is_not_locked_out(newsroom, staff, as_role):
    article = at_publication_approval(newsroom, staff, as_role)
    chief = as_role("chief")
    data = edit_form(chief, article)
    data["dek"] = "Saved first, approved afterwards."
    chief.post(f"/admin/pages/{article.pk}/edit/", data)
    assert current_task_state(article).task.name == PUBLICATION_APPROVAL
    editor_page = chief.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "Only reviewers for this task can edit" not in editor_page

    workflow_action(chief, article, "approve")

    article.refresh_from_db()
    assert article.live is True
    assert article.dek == "Saved first, approved afterwards."


def test_editor_fixing_at_copy_edit_sends_the_fix_on_to_publication_approval(
    newsroom, staff, as_role
):
    article = complete_article(newsroom["news"], staff["writer"])
    submit_for_review(as_role("writer"), article)

    response = approve_in_editor(as_role("editor"), article, dek="Copy edited dek.")

    state = current_task_state(article)
    assert state.task.name == PUBLICATION_APPROVAL
    assert state.revision.as_object().dek == "Copy edited dek."
    assert not any("went back" in message for message in shown_messages(response))


def test_an_edit_by_someone_outside_the_step_sends_the_story_back_and_says_so(
    newsroom, staff, as_role
):
    article = at_publication_approval(newsroom, staff, as_role)
    # The writer's change reaches the story while it waits for the chief (the editor is locked
    # against writers; any other path saves a revision like this one).
    changed = article.get_latest_revision_as_object()
    changed.dek = "A dek the copy desk never saw."
    changed.save_revision(user=staff["writer"])
    chief = as_role("chief")

    response = approve_in_editor(chief, article)

    article.refresh_from_db()
    assert article.live is False
    assert current_task_state(article).task.name == COPY_EDIT
    assert (
        f"“{article.title}” went back to Copy edit: it was changed by Writer since Copy edit "
        "approved it, so Copy edit reviews it again."
    ) in shown_messages(response)


def test_a_revision_after_changes_requested_goes_through_copy_edit_again(newsroom, staff, as_role):
    article = at_publication_approval(newsroom, staff, as_role)
    workflow_action(as_role("chief"), article, "reject", "Name the second source.")
    writer = as_role("writer")
    data = edit_form(writer, article)
    data["dek"] = "Now with the second source named."
    data["action-submit"] = "Submit"
    writer.post(f"/admin/pages/{article.pk}/edit/", data)

    assert current_task_state(article).task.name == COPY_EDIT
    workflow_action(as_role("editor"), article, "approve")
    assert current_task_state(article).task.name == PUBLICATION_APPROVAL
    workflow_action(as_role("chief"), article, "approve")
    article.refresh_from_db()
    assert article.live is True
    assert article.dek == "Now with the second source named."


def test_checklist_refuses_approval_and_lists_what_is_missing(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"])
    article.lead_image.description = ""
    article.lead_image.save()
    article.tags.clear()
    article.is_aggregated = True
    article.save_revision(user=staff["writer"])
    submit_for_review(as_role("writer"), article)
    workflow_action(as_role("editor"), article, "approve")
    chief = as_role("chief")

    response = chief.post(
        f"/admin/pages/workflow/action/{article.pk}/approve/{current_task_state(article).pk}/",
        {"comment": ""},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/admin/editorial/checklist/{article.pk}/?refused=approve"
    assert current_task_state(article).status == TaskState.STATUS_IN_PROGRESS
    article.refresh_from_db()
    assert article.live is False
    page = chief.get(response["Location"]).content.decode()
    assert f"Alt text for the lead image “{article.lead_image.title}”." in page
    assert "At least one tag." in page
    assert "A source link (the story is marked as aggregated)." in page
    assert "A dek" not in page
    assert (
        f"“{article.title}” was not published. Still missing: Alt text for the lead image "
        f"“{article.lead_image.title}”. At least one tag. A source link (the story is marked "
        "as aggregated)."
    ) in page.replace("&quot;", '"')
    modal = chief.get(
        f"/admin/pages/workflow/action/{article.pk}/approve/{current_task_state(article).pk}/"
    ).json()["html"]
    assert "At least one tag." in modal


def test_chief_schedules_by_approving_an_article_with_a_future_go_live(newsroom, staff, as_role):
    from datetime import timedelta

    from django.utils import timezone

    go_live = (timezone.now() + timedelta(hours=3)).replace(second=0, microsecond=0)
    article = complete_article(newsroom["news"], staff["writer"], go_live_at=go_live)
    article.save_revision(user=staff["writer"])
    submit_for_review(as_role("writer"), article)
    workflow_action(as_role("editor"), article, "approve")

    workflow_action(as_role("chief"), article, "approve")

    article.refresh_from_db()
    assert article.live is False
    assert article.scheduled_revision.approved_go_live_at == go_live
    assert PageLogEntry.objects.filter(page=article, action="wagtail.publish.schedule").count() == 1


def test_chief_publishes_and_unpublishes_directly_editor_cannot(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"])
    editor, chief = as_role("editor"), as_role("chief")
    data = edit_form(editor, article)
    data["action-publish"] = "Publish"
    editor.post(f"/admin/pages/{article.pk}/edit/", data)
    article.refresh_from_db()
    assert article.live is False

    data = edit_form(chief, article)
    data["action-publish"] = "Publish"
    chief.post(f"/admin/pages/{article.pk}/edit/", data)
    article.refresh_from_db()
    assert article.live is True

    assert_denied(editor.post(f"/admin/pages/{article.pk}/unpublish/"))
    assert ArticlePage.objects.get(pk=article.pk).live is True
    chief.post(f"/admin/pages/{article.pk}/unpublish/")
    assert ArticlePage.objects.get(pk=article.pk).live is False


def test_writer_cannot_delete_or_unpublish_their_published_article(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"])
    article.get_latest_revision().publish()
    writer = as_role("writer")

    assert_denied(writer.post(f"/admin/pages/{article.pk}/delete/"))
    assert_denied(writer.post(f"/admin/pages/{article.pk}/unpublish/"))

    article.refresh_from_db()
    assert article.live is True
