"""Saving a story just published, unchanged (the editor's autosave firing after the publish
reloads the page, or "Save draft"), leaves it live with no draft; a real change is a draft."""

import pytest

from tests.editorial.conftest import complete_article, edit_form

pytestmark = pytest.mark.django_db

AUTOSAVE = {"Accept": "application/json"}


def published_by_the_chief(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"], title="Harbour reopens")
    chief = as_role("chief")
    data = edit_form(chief, article)
    data["action-publish"] = "Publish"
    chief.post(f"/admin/pages/{article.pk}/edit/", data)
    article.refresh_from_db()
    assert article.live and not article.has_unpublished_changes
    return article, chief


def test_an_autosave_right_after_publish_leaves_the_story_live_without_a_draft(
    newsroom, staff, as_role
):
    article, chief = published_by_the_chief(newsroom, staff, as_role)
    live_revision = article.live_revision_id

    response = chief.post(
        f"/admin/pages/{article.pk}/edit/", edit_form(chief, article), headers=AUTOSAVE
    )

    assert response.status_code == 200 and response.json()["success"] is True
    article.refresh_from_db()
    assert article.has_unpublished_changes is False
    assert article.status_string == "live"
    assert article.live_revision_id == live_revision
    editor_page = chief.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "Live + Draft" not in editor_page and "live + draft" not in editor_page


def test_save_draft_without_a_change_after_publish_is_not_a_draft(newsroom, staff, as_role):
    article, chief = published_by_the_chief(newsroom, staff, as_role)

    chief.post(f"/admin/pages/{article.pk}/edit/", edit_form(chief, article))

    article.refresh_from_db()
    assert article.status_string == "live"


def test_a_real_change_after_publish_is_a_draft(newsroom, staff, as_role):
    article, chief = published_by_the_chief(newsroom, staff, as_role)
    data = edit_form(chief, article)
    data["dek"] = "The harbour reopens on Monday, a week early."

    chief.post(f"/admin/pages/{article.pk}/edit/", data, headers=AUTOSAVE)

    article.refresh_from_db()
    assert article.status_string == "live + draft"
    assert article.get_latest_revision_as_object().dek == data["dek"]
    # Saving it back to what is live is no draft either.
    data = edit_form(chief, article)  # the editor holds the revision it just saved
    data["dek"] = article.dek
    chief.post(f"/admin/pages/{article.pk}/edit/", data, headers=AUTOSAVE)
    article.refresh_from_db()
    assert article.status_string == "live"
