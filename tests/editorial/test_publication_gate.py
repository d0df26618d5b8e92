"""Every path to the public goes through the desk: one gate, one refusal, on every path.

The paths are found the way the permission matrix finds admin URLs (tests/security): walking the
URL resolver, Wagtail's bulk-action registry and the admin API's actions. Each one is classified
here as publishing or not; an admin view, bulk action or API action added by a Wagtail upgrade
fails `test_every_publish_path_is_known` until someone decides which it is. Each publishing path
is then driven through HTTP as a chief editor would, with three stories: one missing checklist
items, one of the chief's own, and a complete one by a writer that the chief reviews.
"""

from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from django.utils import timezone

from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

import pytest

from editorial.admin_api import NewsroomPagesAdminAPIViewSet
from news.models import ArticleByline, ArticlePage
from tests.editorial.conftest import (
    complete_article,
    edit_form,
    edit_form_data,
    submit_for_review,
    workflow_action,
)

pytestmark = pytest.mark.django_db

REFUSALS = {
    "incomplete": "“Council budget vote” was not published. Still missing: "
    "A dek (the sentence under the headline). At least one tag.",
    # The version reverted to is judged: the story's first revision still had its tag.
    ("revert and publish", "incomplete"): "“Council budget vote” was not published. "
    "Still missing: A dek (the sentence under the headline).",
    "own": "“Chief’s column” was not published. Someone other than its author must approve "
    "it, and you are one of its authors.",
}

# Admin URLs (by resolver name) through which a page can become public, and how.
PUBLISHING_URLS = {
    "wagtailadmin_pages:edit": {"publish", "schedule", "revert and publish"},
    "wagtailadmin_pages:add": {"create and publish"},
    "wagtailadmin_pages:copy": {"copy and publish"},
    "wagtailadmin_pages:workflow_action": {"approve the last step"},
    "wagtail_bulk_action": {"bulk publish"},
    "wagtailadmin_api:pages:action": {"API publish", "API copy"},
}
# The page views that never make a page public. (Unpublish, delete, move, lock, preview and
# the revert view itself, which only fills the edit form: publishing it posts to "edit".)
NOT_PUBLISHING_URLS = {
    *(
        f"wagtailadmin_pages:{name}"
        for name in (
            "preview_on_add type_use choose_parent type_use_results usage preview_on_edit "
            "view_draft add_subpage delete unpublish convert_alias search search_results move "
            "move_confirm set_page_position collect_workflow_action_data "
            "confirm_workflow_cancellation workflow_preview set_privacy lock unlock "
            "revisions_index revisions_view revisions_revert revisions_unschedule "
            "revisions_compare workflow_history workflow_history_detail history "
            "history_results"
        ).split()
    ),
    "wagtailadmin_api:pages:listing",
    "wagtailadmin_api:pages:detail",
    "wagtailadmin_api:pages:find",
}
PUBLISHING_BULK_ACTIONS = {"publish"}
NOT_PUBLISHING_BULK_ACTIONS = {"delete", "move", "unpublish"}
PUBLISHING_API_ACTIONS = {"publish", "copy"}
# An alias mirrors the live version, which went through the gate; a translation copy is a draft.
NOT_PUBLISHING_API_ACTIONS = {
    "convert_alias",
    "delete",
    "unpublish",
    "move",
    "copy_for_translation",
    "create_alias",
    "revert_to_page_revision",
}


def admin_url_names() -> set[str]:
    def walk(resolver, namespaces=()):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                namespace = [entry.namespace] if entry.namespace else []
                yield from walk(entry, (*namespaces, *namespace))
            elif entry.name:
                yield ":".join((*namespaces, entry.name))

    return {
        name
        for name in walk(get_resolver())
        if name.startswith(("wagtailadmin_pages:", "wagtailadmin_api:pages:"))
        or name == "wagtail_bulk_action"
    }


def test_every_publish_path_is_known():
    names = admin_url_names()
    assert names == set(PUBLISHING_URLS) | NOT_PUBLISHING_URLS, names ^ (
        set(PUBLISHING_URLS) | NOT_PUBLISHING_URLS
    )
    bulk = {
        action.action_type
        for action in bulk_action_registry.get_bulk_actions_for_model("wagtailcore", "page")
    }
    assert bulk == PUBLISHING_BULK_ACTIONS | NOT_PUBLISHING_BULK_ACTIONS
    assert set(PagesAdminAPIViewSet.actions) == PUBLISHING_API_ACTIONS | NOT_PUBLISHING_API_ACTIONS
    # The endpoint the admin API serves is ours, with the gated actions.
    from wagtail.admin.api.urls import admin_api

    assert admin_api._endpoints["pages"] is NewsroomPagesAdminAPIViewSet
    assert set(PATHS) == set().union(*PUBLISHING_URLS.values())


# --- The stories -----------------------------------------------------------------------------


@pytest.fixture
def stories(newsroom, staff):
    """A writer's story missing its dek and tags, the chief's complete column, and a
    writer's complete story (which the chief, a second person, may publish)."""
    news = newsroom["news"]
    incomplete = complete_article(news, staff["writer"], title="Council budget vote", dek="")
    incomplete.tags.clear()
    incomplete.save_revision(user=staff["writer"])
    # Owned by the writer, bylined to the chief: the chief's own story all the same.
    own = complete_article(news, staff["writer"], title="Chief’s column")
    ArticleByline.objects.filter(page=own).update(profile=staff["chief"].staff_profile)
    own = ArticlePage.objects.get(pk=own.pk)
    own.save_revision(user=staff["writer"])
    own.revisions.exclude(pk=own.latest_revision_id).delete()  # bylined to the chief from the start
    return {
        "incomplete": incomplete,
        "own": own,
        "reviewed": complete_article(news, staff["writer"], title="Harbour ferry resumes"),
    }


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def public_state() -> dict:
    """Everything a publication changes, across all stories."""
    return {
        "live": sorted(ArticlePage.objects.live().values_list("pk", "live_revision_id")),
        "published": PageLogEntry.objects.filter(action__startswith="wagtail.publish").count(),
        "scheduled": sorted(
            Revision.objects.exclude(approved_go_live_at=None).values_list("pk", flat=True)
        ),
    }


def api_answer(response) -> list[str]:
    body = response.json()
    return [body.get("detail") or body.get("message") or str(body)]


# --- Each path: prepare(story, ctx) before the snapshot, then act(story, ctx) as the chief ----


def nothing(story, ctx):
    pass


def make_live(story, ctx):
    """A story already live (as from an archive import), so that a copy keeps it live."""
    story.get_latest_revision().publish()


def edit_publish(story, ctx, **fields):
    client = ctx["chief"]
    data = edit_form(client, story)
    data.update(fields)
    data["action-publish"] = "Publish"
    return messages_of(client.post(f"/admin/pages/{story.pk}/edit/", data))


def schedule(story, ctx):
    go_live = timezone.localtime(timezone.now() + timedelta(hours=5))
    return edit_publish(story, ctx, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))


def add_a_later_revision(story, ctx):
    later = story.get_latest_revision_as_object()
    later.title = "Placeholder headline"
    later.save_revision(user=story.owner)


def revert_and_publish(story, ctx):
    """The story as it was at its first revision, from the revisions view's "Revert"."""
    client = ctx["chief"]
    first = story.revisions.order_by("created_at", "pk").first()
    html = client.get(f"/admin/pages/{story.pk}/revisions/{first.pk}/revert/").content.decode()
    data = edit_form_data(html, story)
    data["action-publish"] = "Publish"
    return messages_of(client.post(f"/admin/pages/{story.pk}/edit/", data))


def copy_and_publish(story, ctx):
    response = ctx["chief"].post(
        f"/admin/pages/{story.pk}/copy/",
        {
            "new_title": story.title,
            "new_slug": f"{story.slug}-copy",
            "new_parent_page": story.get_parent().pk,
            "publish_copies": "on",
        },
    )
    return messages_of(response)


def through_copy_edit(story, ctx):
    """Submitted by the writer who owns it and approved at Copy edit by the editor."""
    submit_for_review(ctx["as_role"]("writer"), story)
    workflow_action(ctx["as_role"]("editor"), story, "approve")


def approve_the_last_step(story, ctx):
    client = ctx["chief"]
    response = workflow_action(client, story, "approve")
    assert response.status_code == 200
    location = response.json()["redirect"]
    return [client.get(location).content.decode()]


def bulk_publish(story, ctx):
    news = story.get_parent()
    url = f"/admin/bulk/wagtailcore/page/publish/?next=/admin/pages/{news.pk}/&id={story.pk}"
    return messages_of(ctx["chief"].post(url, {}))


def api_publish(story, ctx):
    return api_answer(ctx["chief"].post(f"/admin/api/main/pages/{story.pk}/action/publish/"))


def api_copy(story, ctx):
    response = ctx["chief"].post(
        f"/admin/api/main/pages/{story.pk}/action/copy/",
        {"slug": f"{story.slug}-copy", "keep_live": True},
        content_type="application/json",
    )
    return api_answer(response)


PATHS = {
    "publish": (nothing, edit_publish),
    "schedule": (nothing, schedule),
    "revert and publish": (add_a_later_revision, revert_and_publish),
    "copy and publish": (make_live, copy_and_publish),
    "approve the last step": (through_copy_edit, approve_the_last_step),
    "bulk publish": (nothing, bulk_publish),
    "API publish": (nothing, api_publish),
    "API copy": (make_live, api_copy),
    "create and publish": None,  # always the creator's own story: test_create_and_publish
}
DRIVEN = [name for name, steps in PATHS.items() if steps]


@pytest.fixture
def ctx(staff, as_role):
    return {"staff": staff, "as_role": as_role, "chief": as_role("chief")}


@pytest.mark.parametrize("kind", ["incomplete", "own"])
@pytest.mark.parametrize("path", DRIVEN)
def test_each_path_refuses_an_incomplete_or_own_story_and_changes_nothing(path, kind, stories, ctx):
    prepare, act = PATHS[path]
    story = stories[kind]
    prepare(story, ctx)
    before = public_state()

    shown = act(story, ctx)

    expected = REFUSALS.get((path, kind), REFUSALS[kind])
    assert any(expected in text for text in shown), (path, shown)
    assert public_state() == before


@pytest.mark.parametrize("path", DRIVEN)
def test_each_path_accepts_a_complete_story_reviewed_by_someone_else(path, stories, ctx):
    prepare, act = PATHS[path]
    story = stories["reviewed"]
    prepare(story, ctx)
    before = public_state()

    shown = act(story, ctx)

    assert not any("was not published" in text for text in shown), (path, shown)
    after = public_state()
    if path == "schedule":
        assert len(after["scheduled"]) == len(before["scheduled"]) + 1
        assert after["live"] == before["live"]
    else:
        assert len(after["live"]) == len(before["live"]) + (0 if "copy" in path else 1) + (
            1 if "copy" in path else 0
        )
        headlines = set(ArticlePage.objects.live().values_list("title", flat=True))
        assert headlines == {"Harbour ferry resumes"}
    assert after["published"] > before["published"]


def test_create_and_publish_is_always_the_creators_own_story(stories, ctx, staff):
    chief, news = ctx["chief"], stories["own"].get_parent()
    url = f"/admin/pages/add/news/articlepage/{news.pk}/"
    data = querydict_from_html(chief.get(url).content.decode(), form_id="page-edit-form")
    data.update({"title": "Late column", "slug": "late-column", "dek": "A dek."})
    data.update(nested_form_data({"body": streamfield([("paragraph", rich_text("<p>Late.</p>"))])}))
    data["action-publish"] = "Publish"
    before = public_state()

    shown = messages_of(chief.post(url, data))

    assert shown == [
        # The new story starts bylined to its creator (the form's default), so no byline is missing.
        "“Late column” was not published. Still missing: A lead image. At least one tag. "
        "Someone other than its author must approve it, and you are one of its authors."
    ]
    assert public_state() == before
    assert Page.objects.get(slug="late-column").live is False  # kept as the chief's draft
