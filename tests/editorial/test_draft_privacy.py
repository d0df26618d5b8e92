"""Writer A never sees writer B's draft: not on any admin URL about it, nor in any listing."""

from django.urls import reverse

import pytest

from editorial.newsroom import COPY_EDIT
from search.indexing import update_article_index
from tests.editorial.conftest import assert_denied, complete_article, current_task_state

pytestmark = pytest.mark.django_db

SENTINEL = "Zanzibar-Quokka-7741"


@pytest.fixture
def b_draft(newsroom, staff):
    article = complete_article(
        newsroom["news"], staff["writer_b"], title=f"Secret {SENTINEL}", dek=f"Dek {SENTINEL}"
    )
    article.save_revision(user=staff["writer_b"])
    update_article_index(article.pk)  # what the worker does after the commit
    return article


def page_urls(page, *, revision_id: int, task_state_id: int, task_id: int, news_id: int):
    """Every admin URL that takes a page id (wagtail/admin/urls/pages.py), plus the API."""
    pid = page.pk
    return [
        reverse("wagtailadmin_explore", args=[pid]),
        reverse("wagtailadmin_explore_results", args=[pid]),
        f"/admin/api/main/pages/{pid}/",
        *(
            reverse(f"wagtailadmin_pages:{name}", args=[pid])
            for name in [
                "usage",
                "edit",
                "preview_on_edit",
                "view_draft",
                "add_subpage",
                "delete",
                "unpublish",
                "convert_alias",
                "move",
                "set_page_position",
                "copy",
                "confirm_workflow_cancellation",
                "set_privacy",
                "lock",
                "unlock",
                "revisions_index",
                "workflow_history",
                "history",
                "history_results",
            ]
        ),
        reverse("wagtailadmin_pages:move_confirm", args=[pid, news_id]),
        reverse("wagtailadmin_pages:revisions_view", args=[pid, revision_id]),
        reverse("wagtailadmin_pages:revisions_revert", args=[pid, revision_id]),
        reverse("wagtailadmin_pages:revisions_unschedule", args=[pid, revision_id]),
        reverse("wagtailadmin_pages:revisions_compare", args=[pid, "earliest", "latest"]),
        reverse("wagtailadmin_pages:workflow_preview", args=[pid, task_id]),
        reverse("wagtailadmin_pages:workflow_action", args=[pid, "approve", task_state_id]),
        reverse(
            "wagtailadmin_pages:collect_workflow_action_data", args=[pid, "approve", task_state_id]
        ),
        reverse("wagtailadmin_pages:workflow_history_detail", args=[pid, task_state_id]),
    ]


def test_every_admin_url_about_b_draft_is_denied_to_writer_a(b_draft, staff, as_role, newsroom):
    from tests.editorial.conftest import submit_for_review

    submit_for_review(as_role("writer_b"), b_draft)
    state = current_task_state(b_draft)
    assert state.task.name == COPY_EDIT
    before = (b_draft.title, b_draft.latest_revision_id, b_draft.live, b_draft.locked)
    writer_a = as_role("writer")
    urls = page_urls(
        b_draft,
        revision_id=b_draft.latest_revision_id,
        task_state_id=state.pk,
        task_id=state.task_id,
        news_id=newsroom["news"].pk,
    )

    for url in urls:
        for method in ("get", "post"):
            response = getattr(writer_a, method)(url)
            assert_denied(response)
            assert SENTINEL not in response.content.decode(), (method, url)

    b_draft.refresh_from_db()
    assert (b_draft.title, b_draft.latest_revision_id, b_draft.live, b_draft.locked) == before
    assert type(b_draft).objects.filter(title__contains=SENTINEL).count() == 1


def test_the_same_urls_open_for_writer_b(b_draft, as_role):
    writer_b = as_role("writer_b")
    for url in (
        f"/admin/pages/{b_draft.pk}/edit/",
        f"/admin/pages/{b_draft.pk}/history/",
        f"/admin/pages/{b_draft.pk}/revisions/compare/earliest...latest/",
        f"/admin/api/main/pages/{b_draft.pk}/",
    ):
        response = writer_b.get(url)
        assert response.status_code == 200, url
        assert SENTINEL in response.content.decode(), url


@pytest.mark.parametrize(
    ("url", "owner_sees_it"),
    [
        ("/admin/pages/{news}/", True),
        ("/admin/api/main/pages/?child_of={news}&for_explorer=1", True),
        ("/admin/choose-page/{news}/", True),
        ("/admin/", True),  # "My drafts" on the owner's dashboard
        ("/admin/pages/search/?q=Secret", True),
    ],
)
def test_b_draft_is_not_listed_for_writer_a(b_draft, as_role, newsroom, url, owner_sees_it):
    url = url.format(news=newsroom["news"].pk)
    response = as_role("writer").get(url)

    assert response.status_code == 200
    assert SENTINEL not in response.content.decode()
    assert (SENTINEL in as_role("writer_b").get(url).content.decode()) is owner_sees_it


def test_editor_sees_b_draft(b_draft, as_role):
    response = as_role("editor").get(f"/admin/pages/{b_draft.pk}/edit/")
    assert response.status_code == 200
    assert SENTINEL in response.content.decode()
