"""The embargo is enforced, not advisory: every publish path refuses a story before its embargo
time, whoever asks (the superuser too), naming the embargo; the scheduler holds a due revision
until the embargo; lifting an embargo early needs the override setting and a logged reason."""

from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from wagtail.models import PageLogEntry, Revision

import pytest
import time_machine

from editorial import publication_gate
from editorial.publication_gate import PublicationRefused
from editorial.scheduling import run_schedule
from news.models import ArticlePage
from news.models.embargo import embargo_text
from tests.editorial.conftest import client_for, complete_article, edit_form, edit_form_data
from tests.editorial.scheduling_helpers import schedule
from tests.editorial.test_publication_gate import (
    DRIVEN,
    PATHS,
    edit_publish,
    make_live,
    messages_of,
    public_state,
)

pytestmark = pytest.mark.django_db

HEADLINE = "Harbour ferry resumes"


def embargo_at():
    return (timezone.now() + timedelta(days=1)).replace(second=0, microsecond=0)


def put_under_embargo(story, until):
    """The story's latest version carries the embargo, as the edit form would have saved it."""
    story = ArticlePage.objects.get(pk=story.pk)
    latest = story.get_latest_revision_as_object()
    latest.embargo_until = until
    latest.save_revision(user=story.owner)
    if not story.live:
        ArticlePage.objects.filter(pk=story.pk).update(embargo_until=until)
    return ArticlePage.objects.get(pk=story.pk)


def refused_text(until) -> str:
    return f"“{HEADLINE}” was not published. It is under embargo until {embargo_text(until)}."


@pytest.fixture
def embargoed(newsroom, staff):
    """A complete story by the writer (the chief may publish it), under embargo for a day."""
    story = complete_article(newsroom["news"], staff["writer"], title=HEADLINE)
    return story, embargo_at()


@pytest.fixture
def ctx(staff, as_role):
    return {"staff": staff, "as_role": as_role, "chief": as_role("chief")}


def revert_and_publish_page(story, ctx):
    """Reverting to the version before the embargo and publishing: the form as answered."""
    client = ctx["chief"]
    first = story.revisions.order_by("created_at", "pk").first()
    html = client.get(f"/admin/pages/{story.pk}/revisions/{first.pk}/revert/").content.decode()
    data = edit_form_data(html, story)
    data["action-publish"] = "Publish"
    return [client.post(f"/admin/pages/{story.pk}/edit/", data).content.decode()]


def lift_refused_text(until) -> str:
    return (
        f"The embargo until {embargo_text(until)} is in force: it can be extended, "
        "not brought forward or removed."
    )


@pytest.mark.parametrize("path", DRIVEN)
def test_each_path_refuses_an_embargoed_story_naming_the_embargo(path, embargoed, ctx):
    story, until = embargoed
    prepare, act = PATHS[path]
    expected = refused_text(until)
    if path == "revert and publish":
        # The version reverted to predates the embargo: publishing it would lift the embargo.
        act, expected = revert_and_publish_page, lift_refused_text(until)
    prepare(story, ctx)
    story = put_under_embargo(story, until)
    before = public_state()

    shown = act(story, ctx)

    assert any(expected in text for text in shown), (path, shown)
    assert public_state() == before
    assert not ArticlePage.objects.live().filter(embargo_until=until).exists()


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@masthead.test", "pw")


@pytest.mark.parametrize("role", ["writer", "editor", "chief", "superuser"])
def test_a_direct_publish_by_each_role_is_refused_before_the_embargo(
    role, embargoed, ctx, superuser, client
):
    story, until = embargoed
    story = put_under_embargo(story, until)
    person = client_for(type(client), superuser) if role == "superuser" else ctx["as_role"](role)
    before = public_state()

    shown = edit_publish(story, {"chief": person})

    if role in ("chief", "superuser"):  # who may publish in the News section
        assert refused_text(until) in shown
    assert public_state() == before


def test_a_schedule_at_or_after_the_embargo_is_accepted(embargoed, ctx):
    story, until = embargoed
    story = put_under_embargo(story, until)
    go_live = timezone.localtime(until)

    shown = edit_publish(story, ctx, go_live_at=go_live.strftime("%Y-%m-%d %H:%M"))

    assert not any("was not published" in text for text in shown), shown
    assert Revision.objects.filter(object_id=str(story.pk), approved_go_live_at=until).exists()
    assert ArticlePage.objects.get(pk=story.pk).live is False


def test_the_system_cannot_publish_before_the_embargo_either(embargoed):
    story, until = embargoed
    story = put_under_embargo(story, until)

    with pytest.raises(PublicationRefused) as refused:
        story.get_latest_revision().publish()

    assert str(refused.value) == refused_text(until)
    assert ArticlePage.objects.get(pk=story.pk).live is False


def test_the_scheduler_holds_a_due_revision_until_the_embargo_then_publishes_it_once(site_tree):
    now = timezone.now()
    until = (now + timedelta(hours=2)).replace(microsecond=0)
    story, revision = schedule(site_tree["news"], now - timedelta(minutes=1), embargo_until=until)

    assert run_schedule().published == []
    assert Revision.objects.get(pk=revision.pk).approved_go_live_at == until
    assert ArticlePage.objects.get(pk=story.pk).live is False

    with time_machine.travel(until + timedelta(seconds=1)):
        assert run_schedule().published == [story.pk]
        assert run_schedule().published == []
    assert ArticlePage.objects.get(pk=story.pk).live is True


# --- Lifting an embargo early ----------------------------------------------------------------


def post_edit(client, story, **fields):
    data = edit_form(client, story)
    data.update(fields)
    data["action-publish"] = "Publish"
    return client.post(f"/admin/pages/{story.pk}/edit/", data)


@pytest.mark.parametrize("role", ["chief", "superuser"])
def test_clearing_an_embargo_in_force_is_refused_without_the_override(
    role, embargoed, ctx, superuser, client
):
    story, until = embargoed
    story = put_under_embargo(story, until)
    person = client_for(type(client), superuser) if role == "superuser" else ctx["chief"]
    revisions = story.revisions.count()

    response = post_edit(person, story, embargo_until="")

    assert response.status_code == 200  # the form again, with its error
    assert lift_refused_text(until) in response.content.decode()
    assert story.revisions.count() == revisions
    assert ArticlePage.objects.get(pk=story.pk).live is False
    assert not PageLogEntry.objects.filter(action=publication_gate.EMBARGO_LIFTED).exists()


def test_a_superuser_lifts_an_embargo_with_a_reason_when_the_override_is_allowed(
    embargoed, superuser, client, settings
):
    settings.EMBARGO_OVERRIDE_ALLOWED = True
    story, until = embargoed
    story = put_under_embargo(story, until)
    root = client_for(type(client), superuser)

    without_reason = post_edit(root, story, embargo_until="")
    assert "Give the reason for lifting the embargo early" in without_reason.content.decode()
    assert ArticlePage.objects.get(pk=story.pk).live is False

    post_edit(root, story, embargo_until="", embargo_override_reason="The ministry lifted it.")

    story = ArticlePage.objects.get(pk=story.pk)
    assert (story.live, story.embargo_until) == (True, None)
    entry = PageLogEntry.objects.get(action=publication_gate.EMBARGO_LIFTED)
    assert (entry.page_id, entry.user_id) == (story.pk, superuser.pk)
    assert entry.data["reason"] == "The ministry lifted it."
    assert entry.data["embargo_until"] == until.isoformat()


def test_extending_an_embargo_needs_no_override(embargoed, ctx):
    story, until = embargoed
    story = put_under_embargo(story, until)
    later = timezone.localtime(until + timedelta(days=1))
    data = edit_form(ctx["chief"], story)
    data["embargo_until"] = later.strftime("%Y-%m-%d %H:%M")

    response = ctx["chief"].post(f"/admin/pages/{story.pk}/edit/", data)

    assert response.status_code == 302, messages_of(response)
    latest = ArticlePage.objects.get(pk=story.pk).get_latest_revision_as_object()
    assert latest.embargo_until == later


def test_copy_paths_judge_the_latest_version_of_a_live_story(embargoed, ctx):
    story, until = embargoed
    make_live(story, ctx)
    story = put_under_embargo(ArticlePage.objects.get(pk=story.pk), until)

    refusal = publication_gate.copy_refusal(story, user=ctx["staff"]["chief"], recursive=False)

    assert refusal is not None and refusal.embargoed_until == until
