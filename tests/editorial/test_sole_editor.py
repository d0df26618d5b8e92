"""With one editor, that editor's own story is not stuck at Copy edit in silence: the chiefs
take the step, are emailed, and the editor is told; with a second editor, nothing changes."""

from django.contrib.auth.models import Group, User
from django.core import mail

from wagtail.models import TaskState

import pytest

from editorial.newsroom import COPY_EDIT, EDITORS, PUBLICATION_APPROVAL
from tests.editorial.conftest import (
    complete_article,
    current_task_state,
    edit_form,
    submit_for_review,
    workflow_action,
)

pytestmark = pytest.mark.django_db


def submitted_by_the_only_editor(newsroom, staff, as_role, capture):
    story = complete_article(
        newsroom["news"], staff["editor"], title="Parking column by the editor"
    )
    editor = as_role("editor")
    data = edit_form(editor, story)
    data["action-submit"] = "Submit"
    with capture(execute=True):
        response = editor.post(f"/admin/pages/{story.pk}/edit/", data, follow=True)
    return story, response


def test_the_only_editors_story_is_taken_by_a_chief_who_is_emailed(
    newsroom, staff, as_role, django_capture_on_commit_callbacks, celery_eager
):
    story, response = submitted_by_the_only_editor(
        newsroom, staff, as_role, django_capture_on_commit_callbacks
    )

    shown = [str(message) for message in response.context["messages"]]
    assert (
        "Nobody at Copy edit can review “Parking column by the editor” but its own author, so the "
        "reviewers of Publication approval take this step; they have been emailed."
    ) in shown
    to_chief = [message for message in mail.outbox if message.to == ["chief@masthead.test"]]
    assert len(to_chief) == 1
    assert to_chief[0].subject.startswith("Nobody else can take Copy edit: ")
    assert (
        "Nobody at Copy edit can review it but its own author, so the reviewers of Publication "
        "approval take this step: you can approve it or request changes."
    ) in to_chief[0].body
    assert "editor@masthead.test" not in [a for m in mail.outbox for a in m.to]

    chief = as_role("chief")
    dashboard = chief.get("/admin/").content.decode()
    assert "Parking column by the editor" in dashboard  # awaiting the chief's review
    assert chief.get(f"/admin/pages/{story.pk}/edit/").status_code == 200
    workflow_action(chief, story, "approve", "Copy edited by the chief.")
    copy_edit = TaskState.objects.get(task__name=COPY_EDIT, workflow_state__object_id=str(story.pk))
    assert (copy_edit.status, copy_edit.finished_by) == (TaskState.STATUS_APPROVED, staff["chief"])
    assert current_task_state(story).task.name == PUBLICATION_APPROVAL


def test_the_editor_still_cannot_take_their_own_story(
    newsroom, staff, as_role, django_capture_on_commit_callbacks
):
    story, _ = submitted_by_the_only_editor(
        newsroom, staff, as_role, django_capture_on_commit_callbacks
    )
    state = current_task_state(story)

    workflow_action(as_role("editor"), story, "approve")

    assert current_task_state(story).pk == state.pk
    assert current_task_state(story).status == TaskState.STATUS_IN_PROGRESS


def test_with_a_second_editor_the_chief_neither_takes_copy_edit_nor_hears_of_it(
    newsroom, staff, as_role, django_capture_on_commit_callbacks, celery_eager
):
    second = User.objects.create_user("editor_b", "editor_b@masthead.test", "pw")
    second.groups.add(Group.objects.get(name=EDITORS))

    story, response = submitted_by_the_only_editor(
        newsroom, staff, as_role, django_capture_on_commit_callbacks
    )

    assert not any("Nobody at" in str(message) for message in response.context["messages"])
    assert [m.to for m in mail.outbox if "chief@masthead.test" in m.to] == []
    assert "editor_b@masthead.test" in [a for m in mail.outbox for a in m.to]
    chief = as_role("chief")
    workflow_action(chief, story, "approve")
    assert current_task_state(story).task.name == COPY_EDIT
    assert current_task_state(story).status == TaskState.STATUS_IN_PROGRESS


def test_a_writers_story_still_goes_to_the_editor_not_the_chief(newsroom, staff, as_role):
    story = complete_article(newsroom["news"], staff["writer"])
    submit_for_review(as_role("writer"), story)

    workflow_action(as_role("chief"), story, "approve")

    assert current_task_state(story).task.name == COPY_EDIT


def test_approving_ones_own_submission_from_the_dashboard_is_refused_in_the_gates_words(
    newsroom, staff, as_role, django_capture_on_commit_callbacks
):
    story, _ = submitted_by_the_only_editor(
        newsroom, staff, as_role, django_capture_on_commit_callbacks
    )
    state = current_task_state(story)
    editor = as_role("editor")
    refusal = (
        "“Parking column by the editor” was not published. Someone other than its author must "
        "approve it, and you are one of its authors."
    )

    modal = workflow_action(editor, story, "approve")  # the dashboard's modal (XHR)
    plain = editor.post(
        f"/admin/pages/workflow/action/{story.pk}/approve/{state.pk}/", {"comment": ""}
    )

    assert modal.status_code == 200 and modal.json()["redirect"] == "/admin/"
    assert plain.status_code == 302 and plain["Location"] == "/admin/"
    dashboard = editor.get("/admin/", follow=True)
    shown = [str(message) for message in dashboard.context["messages"]]
    assert shown == [refusal, refusal]
    assert current_task_state(story).pk == state.pk
    assert current_task_state(story).status == TaskState.STATUS_IN_PROGRESS
