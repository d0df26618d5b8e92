"""Reader comments in the admin, per role: editors moderate their sections, chiefs all of
theirs, writers see the comments on their own stories and moderate none."""

from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission

import pytest

from editorial.newsroom import CHIEF_EDITORS
from news.factories import ArticlePageFactory, NewsIndexPageFactory
from readership.models import Comment

pytestmark = pytest.mark.django_db

QUEUE = "/admin/snippets/readership/comment/"


@pytest.fixture
def comments(newsroom, staff):
    """One pending comment on a writer's story, one on a colleague's, and one on a story in
    "Features", a section the chiefs hold and the editors do not."""
    features = NewsIndexPageFactory(parent=newsroom["home"], title="Features", slug="features")
    GroupPagePermission.objects.create(
        group=Group.objects.get(name=CHIEF_EDITORS),
        page=features,
        permission=Permission.objects.get(codename="change_page"),
    )
    stories = {
        "writer's": ArticlePageFactory(parent=newsroom["news"], owner=staff["writer"]),
        "colleague's": ArticlePageFactory(parent=newsroom["news"], owner=staff["writer_b"]),
        "feature": ArticlePageFactory(parent=features, owner=staff["chief"]),
    }
    return {
        name: Comment.objects.create(article=story, name=f"Reader on {name}", body="Well said.")
        for name, story in stories.items()
    }


def queue_of(client) -> set[str]:
    response = client.get(QUEUE)
    assert response.status_code == 200
    return {
        name
        for name in ("writer's", "colleague's", "feature")
        if f"Reader on {name}" in (response.content.decode().replace("&#x27;", "'"))
    }


def moderate(client, comment, action: str):
    url = f"/admin/bulk/readership/comment/{action}/?next={QUEUE}&id={comment.pk}"
    return client.post(url)


def statuses() -> dict[str, str]:
    return {comment.name: comment.status for comment in Comment.objects.all()}


def test_every_role_has_the_comments_menu(as_role):
    for role in ("writer", "editor", "chief"):
        assert QUEUE in as_role(role).get("/admin/").content.decode(), role


def test_editor_moderates_comments_in_their_sections_only(as_role, comments, staff):
    editor = as_role("editor")

    assert queue_of(editor) == {"writer's", "colleague's"}
    moderate(editor, comments["writer's"], "approve")
    moderate(editor, comments["feature"], "approve")
    edit = editor.get(f"{QUEUE}edit/{comments['feature'].pk}/")

    assert edit.status_code == 404
    assert statuses() == {
        "Reader on writer's": "approved",
        "Reader on colleague's": "pending",
        "Reader on feature": "pending",
    }
    assert Comment.objects.get(pk=comments["writer's"].pk).moderated_by == staff["editor"]


def test_chief_moderates_every_section(as_role, comments):
    chief = as_role("chief")

    assert queue_of(chief) == {"writer's", "colleague's", "feature"}
    moderate(chief, comments["feature"], "spam")
    assert chief.post(f"/admin/bulk/readership/comment/delete/?id={comments["colleague's"].pk}")

    assert statuses() == {"Reader on writer's": "pending", "Reader on feature": "spam"}


def test_writer_sees_comments_on_their_own_stories_and_cannot_moderate(as_role, comments):
    writer = as_role("writer")

    assert queue_of(writer) == {"writer's"}
    assert writer.get(f"{QUEUE}edit/{comments["writer's"].pk}/").status_code in (302, 403, 404)
    moderate(writer, comments["writer's"], "approve")
    writer.post(f"/admin/bulk/readership/comment/delete/?id={comments["writer's"].pk}")
    inspect = writer.get(f"{QUEUE}inspect/{comments["colleague's"].pk}/")

    assert inspect.status_code == 404
    assert statuses() == dict.fromkeys(
        ("Reader on writer's", "Reader on colleague's", "Reader on feature"), "pending"
    )
