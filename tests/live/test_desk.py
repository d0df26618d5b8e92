"""The coverage desk: who posts, edits, marks and ends coverage, and what the audit log says.

Every denied action is followed by a check that nothing changed."""

import threading

from django.db import close_old_connections
from django.test import Client

from wagtail.models import PageLogEntry
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

import pytest

from live import coverage as desk
from live.factories import entry_text
from live.models import LiveEntry, LivePage
from tests.editorial.conftest import assert_denied


def post_update(client, page, text, **extra):
    return client.post(f"/admin/live/{page.pk}/", {"text": text, "post": "", **extra})


def actions(page) -> list[tuple[str, str]]:
    return [
        (entry.action, entry.user.username)
        for entry in PageLogEntry.objects.filter(page=page, action__startswith="live.").order_by(
            "pk"
        )
    ]


def entry_texts(page) -> list[str]:
    return [entry.text() for entry in LiveEntry.objects.filter(page=page).order_by("sequence")]


@pytest.mark.django_db
def test_a_bylined_writer_posts_an_update_in_two_clicks(as_role, coverage, staff):
    writer = as_role("writer")
    desk_page = writer.get(f"/admin/live/{coverage.pk}/")
    assert desk_page.status_code == 200
    assert "Post update" in desk_page.text
    assert "End coverage" not in desk_page.text  # an editor's button

    response = post_update(writer, coverage, "Winds of 120 km/h at the harbour.")

    assert response.status_code == 302
    [entry] = LiveEntry.objects.filter(page=coverage)
    assert entry.state == "published"
    assert entry.published_at is not None
    assert entry.text() == "Winds of 120 km/h at the harbour."
    assert [profile.title for profile in entry.authors.all()] == ["Writer"]
    assert entry.created_by == staff["writer"]
    assert (entry.key_event, entry.pinned) == (False, False)
    assert actions(coverage) == [("live.entry.post", "writer")]
    # Posting an entry is not a revision of the page.
    assert LivePage.objects.get(pk=coverage.pk).latest_revision_id == coverage.latest_revision_id


@pytest.mark.django_db
def test_a_writer_without_a_byline_is_refused_and_nothing_is_posted(as_role, coverage):
    other = as_role("writer_b")

    assert_denied(other.get(f"/admin/live/{coverage.pk}/"))
    assert_denied(post_update(other, coverage, "Not mine to post"))
    assert coverage.pk not in [page.pk for page in other.get("/admin/live/").context["pages"]]

    assert LiveEntry.objects.filter(page=coverage).count() == 0
    assert actions(coverage) == []


@pytest.mark.django_db
def test_anonymous_visitors_reach_no_desk_url(coverage, staff):
    entry = desk.post_entry(coverage, user=staff["writer"], body=entry_text("First"))
    anonymous = Client()
    for url in (
        f"/admin/live/{coverage.pk}/",
        f"/admin/live/{coverage.pk}/end/",
        f"/admin/live/entries/{entry.pk}/edit/",
        f"/admin/live/entries/{entry.pk}/delete/",
    ):
        response = anonymous.post(url, {"text": "x", "note": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    assert entry_texts(coverage) == ["First"]


@pytest.mark.django_db
def test_writers_cannot_mark_key_events_pins_or_end_coverage(as_role, coverage):
    writer = as_role("writer")
    post_update(writer, coverage, "Trees down on the ring road.", key_event="on", pinned="on")
    [entry] = LiveEntry.objects.filter(page=coverage)
    assert (entry.key_event, entry.pinned) == (False, False)  # the form offers writers neither

    assert_denied(writer.post(f"/admin/live/entries/{entry.pk}/mark/", {"key_event": "1"}))
    assert_denied(writer.post(f"/admin/live/{coverage.pk}/end/"))

    entry.refresh_from_db()
    assert (entry.key_event, entry.pinned) == (False, False)
    page = LivePage.objects.get(pk=coverage.pk)
    assert (page.status, page.coverage_end) == ("live", None)
    assert actions(coverage) == [("live.entry.post", "writer")]


@pytest.mark.django_db
def test_an_editor_marks_key_events_pins_one_entry_and_ends_coverage(as_role, coverage):
    editor = as_role("editor")
    post_update(editor, coverage, "Evacuation ordered for the seafront.", key_event="on")
    post_update(editor, coverage, "Shelters open at three schools.", pinned="on")
    first, second = LiveEntry.objects.filter(page=coverage).order_by("pk")
    assert (first.key_event, second.pinned) == (True, True)

    editor.post(f"/admin/live/entries/{first.pk}/mark/", {"pinned": "1"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.pinned, second.pinned) == (True, False)  # one pinned entry at a time

    assert editor.post(f"/admin/live/{coverage.pk}/end/").status_code == 302
    page = LivePage.objects.get(pk=coverage.pk)
    assert page.status == "ended"
    assert page.coverage_end is not None
    # Publishing the page's latest revision later cannot reopen the coverage.
    assert page.get_latest_revision_as_object().status == "ended"
    assert actions(coverage) == [
        ("live.entry.post", "editor"),
        ("live.entry.post", "editor"),
        ("live.entry.mark", "editor"),
        ("live.coverage.end", "editor"),
    ]


def body_form(text: str) -> dict:
    return nested_form_data({"body": streamfield([("text", rich_text(f"<p>{text}</p>"))])})


@pytest.mark.django_db
def test_editing_a_posted_entry_is_a_correction_readers_see(as_role, coverage, staff):
    entry = desk.post_entry(coverage, user=staff["writer"], body=entry_text("Bridge closed."))
    writer = as_role("writer")
    url = f"/admin/live/entries/{entry.pk}/edit/"
    assert writer.get(url).status_code == 200

    refused = writer.post(url, {**body_form("Bridge open."), "expected_sequence": entry.sequence})
    assert refused.status_code == 200
    assert "Say what was corrected" in refused.text
    assert entry_texts(coverage) == ["Bridge closed."]

    writer.post(
        url,
        {
            **body_form("Bridge open to buses."),
            "expected_sequence": entry.sequence,
            "correction_note": "The bridge was not closed to buses.",
        },
    )
    entry.refresh_from_db()
    assert entry.state == "corrected"
    assert entry.text() == "Bridge open to buses."
    assert entry.correction_note == "The bridge was not closed to buses."
    assert actions(coverage)[-1] == ("live.entry.correct", "writer")


@pytest.mark.django_db
def test_an_edit_of_an_entry_changed_meanwhile_is_refused(as_role, coverage, staff):
    entry = desk.post_entry(coverage, user=staff["writer"], body=entry_text("Ferry cancelled."))
    opened_at = entry.sequence
    desk.mark_entry(entry, user=staff["editor"], key_event=True)  # someone else, meanwhile

    as_role("writer").post(
        f"/admin/live/entries/{entry.pk}/edit/",
        {**body_form("Ferry delayed."), "expected_sequence": opened_at, "correction_note": "x"},
    )

    entry.refresh_from_db()
    assert (entry.text(), entry.state) == ("Ferry cancelled.", "published")


@pytest.mark.django_db
def test_a_writer_cannot_touch_a_colleagues_entry(as_role, coverage, staff):
    coverage.bylines.create(profile=staff["writer_b"].staff_profile)
    entry = desk.post_entry(
        coverage, user=staff["writer"], body=entry_text("Power cut in Eastside.")
    )
    colleague = as_role("writer_b")

    assert_denied(colleague.get(f"/admin/live/entries/{entry.pk}/edit/"))
    assert_denied(colleague.post(f"/admin/live/entries/{entry.pk}/delete/"))

    entry.refresh_from_db()
    assert (entry.state, entry.text()) == ("published", "Power cut in Eastside.")


@pytest.mark.django_db
def test_a_removed_entry_stays_as_a_tombstone_and_a_draft_is_deleted(as_role, coverage, staff):
    writer = as_role("writer")
    posted = desk.post_entry(coverage, user=staff["writer"], body=entry_text("Wrong street."))
    draft = desk.post_entry(coverage, user=staff["writer"], body=entry_text("Half"), publish=False)

    writer.post(f"/admin/live/entries/{posted.pk}/delete/", {"note": "Posted in error."})
    writer.post(f"/admin/live/entries/{draft.pk}/delete/")

    posted.refresh_from_db()
    assert (posted.state, posted.correction_note) == ("deleted", "Posted in error.")
    assert not LiveEntry.objects.filter(pk=draft.pk).exists()
    assert [action for action, _ in actions(coverage)][-2:] == [
        "live.entry.delete",
        "live.entry.delete",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_writers_posting_at_once_never_overwrite_each_other(coverage, staff):
    coverage.bylines.create(profile=staff["writer_b"].staff_profile)
    start = threading.Barrier(2)
    errors = []

    def post(username: str) -> None:
        try:
            start.wait()
            for n in range(5):
                desk.post_entry(coverage, user=staff[username], body=entry_text(f"{username} {n}"))
        except Exception as error:  # reported below, with the thread's name
            errors.append((username, error))
        finally:
            close_old_connections()

    threads = [threading.Thread(target=post, args=(name,)) for name in ("writer", "writer_b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    entries = list(LiveEntry.objects.filter(page=coverage).order_by("sequence"))
    assert [entry.sequence for entry in entries] == list(range(1, 11))
    assert sorted(entry.text() for entry in entries) == sorted(
        f"{name} {n}" for name in ("writer", "writer_b") for n in range(5)
    )


@pytest.mark.django_db
def test_the_page_editor_links_to_the_coverage_desk(as_role, coverage):
    response = as_role("editor").get(f"/admin/pages/{coverage.pk}/edit/")

    assert response.status_code == 200
    assert f'href="/admin/live/{coverage.pk}/"' in response.text
