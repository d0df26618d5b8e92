"""Pitch to assignment to article: the desk's actions, through the admin, each in the audit log,
and the assignment's status read from the article's real state."""

from datetime import timedelta

from django.utils import timezone

from wagtail.models import ModelLogEntry, PageLogEntry

import pytest
import time_machine

from editorial.scheduling import run_schedule
from news.models import ArticlePage
from planning.models import Assignment, Pitch, Status
from tests.editorial.conftest import (
    assert_denied,
    complete_article,
    current_task_state,
    submit_for_review,
    workflow_action,
)
from tests.planning.conftest import assignment_in, pitch_in

pytestmark = pytest.mark.django_db


def status_of(assignment) -> str:
    return Assignment.objects.with_status().get(pk=assignment.pk).status


def actions_logged(instance) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(instance).order_by("pk").values_list("action", flat=True)
    )


def test_a_writer_pitches_through_the_admin_and_is_its_proposer(newsroom, staff, as_role):
    response = as_role("writer").post(
        "/admin/planning/pitches/new/",
        {
            "idea": "Ferry timetable cut",
            "summary": "Winter timetable",
            "section": newsroom["news"].pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    pitch = Pitch.objects.get()
    assert (pitch.idea, pitch.proposer, pitch.state) == (
        "Ferry timetable cut",
        staff["writer"],
        "proposed",
    )
    assert actions_logged(pitch) == ["wagtail.create"]


def test_an_editor_accepts_a_pitch_into_an_assignment_for_the_pitcher(newsroom, staff, as_role):
    pitch = pitch_in(newsroom["news"], staff["writer"], summary="Six weeks of closures")
    due = timezone.localtime() + timedelta(hours=5)

    response = as_role("editor").post(
        f"/admin/planning/pitches/accept/{pitch.pk}/",
        {"reporter": staff["writer"].pk, "due_at": due.strftime("%Y-%m-%dT%H:%M")},
    )

    assignment = Assignment.objects.get()
    assert response["Location"] == f"/admin/planning/assignments/edit/{assignment.pk}/"
    pitch.refresh_from_db()
    assert (pitch.state, pitch.decided_by) == ("accepted", staff["editor"])
    assert (assignment.headline, assignment.notes, assignment.pitch) == (
        pitch.idea,
        pitch.summary,
        pitch,
    )
    assert assignment.due_at == due.replace(second=0, microsecond=0)
    assert [(r.user, r.role) for r in assignment.assignees.all()] == [(staff["writer"], "reporter")]
    assert actions_logged(pitch) == ["planning.pitch.accept"]
    assert actions_logged(assignment) == ["wagtail.create"]
    assert status_of(assignment) == Status.ASSIGNED


def test_a_declined_pitch_tells_its_pitcher_why(newsroom, staff, as_role):
    pitch = pitch_in(newsroom["news"], staff["writer"])

    as_role("editor").post(
        f"/admin/planning/pitches/decline/{pitch.pk}/", {"reason": "Ran last week"}
    )

    pitch.refresh_from_db()
    assert (pitch.state, pitch.decline_reason) == ("declined", "Ran last week")
    listing = as_role("writer").get("/admin/planning/pitches/").content.decode()
    assert "Ran last week" in listing
    entry = ModelLogEntry.objects.for_instance(pitch).get(action="planning.pitch.decline")
    assert entry.data == {"reason": "Ran last week"}


def test_a_decline_without_a_reason_changes_nothing(newsroom, staff, as_role):
    pitch = pitch_in(newsroom["news"], staff["writer"])

    response = as_role("editor").post(
        f"/admin/planning/pitches/decline/{pitch.pk}/", {"reason": ""}
    )

    assert response.status_code == 200
    pitch.refresh_from_db()
    assert pitch.state == "proposed"
    assert actions_logged(pitch) == []


def test_a_parked_pitch_can_still_be_accepted_later(newsroom, staff, as_role):
    pitch = pitch_in(newsroom["news"], staff["writer"])
    editor = as_role("editor")

    editor.post(f"/admin/planning/pitches/park/{pitch.pk}/")
    pitch.refresh_from_db()
    assert pitch.state == "parked"
    editor.post(
        f"/admin/planning/pitches/accept/{pitch.pk}/",
        {"reporter": staff["writer_b"].pk, "due_at": "2030-01-02T10:00"},
    )
    pitch.refresh_from_db()
    assert pitch.state == "accepted"
    assert actions_logged(pitch) == ["planning.pitch.park", "planning.pitch.accept"]


def test_a_writer_cannot_decide_pitches_and_nothing_changes(newsroom, staff, as_role):
    pitch = pitch_in(newsroom["news"], staff["writer_b"])
    writer = as_role("writer")

    for action in ("accept", "decline", "park"):
        response = writer.post(
            f"/admin/planning/pitches/{action}/{pitch.pk}/",
            {"reason": "no", "reporter": staff["writer"].pk, "due_at": "2030-01-02T10:00"},
        )
        assert_denied(response)
    pitch.refresh_from_db()
    assert pitch.state == "proposed"
    assert not Assignment.objects.exists()


def test_starting_the_draft_makes_the_reporters_article_in_the_section(newsroom, staff, as_role):
    assignment = assignment_in(newsroom["news"], staff["writer"], headline="Tram line opens")

    response = as_role("writer").post(f"/admin/planning/assignments/start-draft/{assignment.pk}/")

    article = ArticlePage.objects.get()
    assert response["Location"] == f"/admin/pages/{article.pk}/edit/"
    assignment.refresh_from_db()
    assert assignment.article_id == article.pk
    assert (article.title, article.owner, article.live) == (
        "Tram line opens",
        staff["writer"],
        False,
    )
    assert article.get_parent().pk == newsroom["news"].pk
    assert [byline.profile.user for byline in article.bylines.all()] == [staff["writer"]]
    assert actions_logged(assignment) == ["planning.assignment.start_draft"]
    assert PageLogEntry.objects.filter(page=article, action="wagtail.create").exists()
    assert status_of(assignment) == Status.IN_PROGRESS


def test_a_second_start_creates_no_second_article(newsroom, staff, as_role):
    assignment = assignment_in(newsroom["news"], staff["writer"])
    writer = as_role("writer")
    writer.post(f"/admin/planning/assignments/start-draft/{assignment.pk}/")

    response = writer.post(f"/admin/planning/assignments/start-draft/{assignment.pk}/")

    assert_denied(response)
    assert ArticlePage.objects.count() == 1


def test_the_status_follows_the_article_through_the_workflow_and_schedule(newsroom, staff, as_role):
    writer = staff["writer"]
    go_live = (timezone.now() + timedelta(hours=2)).replace(second=0, microsecond=0)
    article = complete_article(newsroom["news"], writer, title="Harbour wall", go_live_at=go_live)
    assignment = assignment_in(newsroom["news"], writer, article=article)
    assert status_of(assignment) == Status.IN_PROGRESS

    submit_for_review(as_role("writer"), article)
    assert status_of(assignment) == Status.FILED
    row = Assignment.objects.with_status().get(pk=assignment.pk)
    assert row.status_label == "Filed (Copy edit)"

    workflow_action(as_role("editor"), article, "approve")
    assert status_of(assignment) == Status.IN_EDIT

    workflow_action(as_role("chief"), article, "approve")
    assert current_task_state(article) is None
    assert status_of(assignment) == Status.SCHEDULED
    assert Assignment.objects.with_status().get(pk=assignment.pk).go_live_at == go_live

    with time_machine.travel(go_live + timedelta(minutes=1)):
        run_schedule()
    assert status_of(assignment) == Status.PUBLISHED


def test_a_killed_assignment_says_so_and_is_logged(newsroom, staff, as_role):
    assignment = assignment_in(newsroom["news"], staff["writer"])

    as_role("editor").post(f"/admin/planning/assignments/kill/{assignment.pk}/")

    assert status_of(assignment) == Status.KILLED
    assert actions_logged(assignment) == ["planning.assignment.kill"]
