"""Wagtail's own editing tools keep working for the newsroom roles: compare, revert, lock,
admin comments and the audit log."""

from wagtail.models import Comment, PageLogEntry

import pytest

from tests.editorial.conftest import assert_denied, complete_article, edit_form

pytestmark = pytest.mark.django_db


def test_editor_compares_and_reverts_revisions_and_history_records_it(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"], dek="First dek")
    first = article.latest_revision
    article.dek = "Second dek"
    article.save_revision(user=staff["writer"])
    editor = as_role("editor")

    compare = editor.get(f"/admin/pages/{article.pk}/revisions/compare/{first.pk}...latest/")
    assert compare.status_code == 200
    assert "First dek" in compare.content.decode() and "Second dek" in compare.content.decode()

    revert = editor.get(f"/admin/pages/{article.pk}/revisions/{first.pk}/revert/")
    assert revert.status_code == 200
    data = edit_form(editor, article)
    data["dek"] = "First dek"
    editor.post(f"/admin/pages/{article.pk}/revisions/{first.pk}/revert/", data)

    article.refresh_from_db()
    assert article.get_latest_revision_as_object().dek == "First dek"
    history = editor.get(f"/admin/pages/{article.pk}/history/")
    assert history.status_code == 200
    assert PageLogEntry.objects.filter(page=article, action="wagtail.revert").count() == 1


def test_chief_locks_and_unlocks_editor_cannot(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"])

    assert_denied(as_role("editor").post(f"/admin/pages/{article.pk}/lock/"))
    article.refresh_from_db()
    assert article.locked is False

    as_role("chief").post(f"/admin/pages/{article.pk}/lock/")
    article.refresh_from_db()
    assert (article.locked, article.locked_by) == (True, staff["chief"])
    as_role("chief").post(f"/admin/pages/{article.pk}/unlock/")
    article.refresh_from_db()
    assert article.locked is False
    assert [entry.action for entry in PageLogEntry.objects.filter(page=article).order_by("pk")][
        -2:
    ] == ["wagtail.lock", "wagtail.unlock"]


def test_editor_leaves_an_admin_comment_on_a_field(newsroom, staff, as_role):
    article = complete_article(newsroom["news"], staff["writer"])
    editor = as_role("editor")
    data = edit_form(editor, article)
    data.update(
        {
            "comments-TOTAL_FORMS": "1",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "",
            "comments-0-contentpath": "dek",
            "comments-0-text": "Is this figure confirmed?",
            "comments-0-resolved": "",
            "comments-0-id": "",
            "comments-0-position": "",
            "comments-0-replies-TOTAL_FORMS": "0",
            "comments-0-replies-INITIAL_FORMS": "0",
            "comments-0-replies-MIN_NUM_FORMS": "0",
            "comments-0-replies-MAX_NUM_FORMS": "",
        }
    )

    editor.post(f"/admin/pages/{article.pk}/edit/", data)

    comment = Comment.objects.get(page=article)
    assert (comment.text, comment.contentpath, comment.user) == (
        "Is this figure confirmed?",
        "dek",
        staff["editor"],
    )
