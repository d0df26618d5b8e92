"""The editor's messages say what an action did to the story (not Wagtail's "Page '…' has been
updated."), and the changes-requested email says so."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core import mail

import pytest
import time_machine

from tests.editorial.conftest import complete_article, current_task_state, edit_form

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")


def messages_after(client, response) -> list[str]:
    """The messages the next page shows after `response` (a redirect)."""
    if response.status_code != 302:
        context = response.context
        form = context["form"]
        errors = {
            "form": form.errors,
            "changed": form.changed_data,
            "state": str(current_task_state(context["page"])),
            **{name: formset.errors for name, formset in form.formsets.items()},
            "messages": [str(message) for message in context["messages"]],
        }
        raise AssertionError(f"{response.status_code}: {errors}")
    shown = client.get(response["Location"])
    return [str(message) for message in shown.context["messages"]]


def act_in_editor(client, page, action, comment=""):
    """Approve or request changes from the article editor, as its action menu does, with no
    edit (the stories here have no body: the form's rebuilt paragraphs would count as one)."""
    data = edit_form(client, page)
    data["action-workflow-action"] = "true"
    data["workflow-action-name"] = action
    data["workflow-action-extra-data"] = json.dumps({"comment": comment} if comment else {})
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def submit(client, page):
    data = edit_form(client, page)
    data["action-submit"] = "Submit"
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def test_each_step_of_the_desk_says_what_happened(
    newsroom, staff, as_role, celery_eager, django_capture_on_commit_callbacks
):
    writer, editor, chief = as_role("writer"), as_role("editor"), as_role("chief")
    story = complete_article(newsroom["news"], staff["writer"], title="Council vote", body=[])

    assert messages_after(writer, submit(writer, story)) == ["Sent to Copy edit: “Council vote”."]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        said = messages_after(
            editor, act_in_editor(editor, story, "reject", comment="Name the councillor.")
        )
    assert said == ["Changes requested by Editor: “Council vote”."]
    [email] = [message for message in mail.outbox if message.to == ["writer@masthead.test"]]
    assert email.subject == "Changes requested by Editor: Council vote"
    assert "Changes requested by Editor at Copy edit: “Council vote”." in email.body
    assert "Their comment: “Name the councillor.”" in email.body
    assert "reject" not in (email.body + email.subject).lower()

    assert messages_after(writer, submit(writer, story)) == ["Sent to Copy edit: “Council vote”."]
    said = messages_after(editor, act_in_editor(editor, story, "approve"))
    assert said == ["Approved — sent to Publication approval: “Council vote”."]

    said = messages_after(chief, act_in_editor(chief, story, "approve"))
    assert said == ["Published: “Council vote”."]
    story.refresh_from_db()
    assert story.live


@time_machine.travel(datetime(2026, 7, 1, 9, 0, tzinfo=LONDON), tick=False)
def test_an_approval_that_schedules_says_when_in_newsroom_time(newsroom, staff, as_role, settings):
    settings.TIME_ZONE = "Europe/London"
    writer, editor, chief = as_role("writer"), as_role("editor"), as_role("chief")
    story = complete_article(
        newsroom["news"],
        staff["writer"],
        title="Budget embargo",
        body=[],
        go_live_at=datetime(2026, 7, 1, 14, 30, tzinfo=LONDON),
    )
    story.save_revision(user=staff["writer"])
    messages_after(writer, submit(writer, story))
    messages_after(editor, act_in_editor(editor, story, "approve"))

    said = messages_after(chief, act_in_editor(chief, story, "approve"))

    assert said == ["Scheduled for 14:30 (Europe/London): “Budget embargo”."]
    story.refresh_from_db()
    assert not story.live
    assert current_task_state(story) is None


def test_a_refused_last_approval_says_why_and_nothing_else(newsroom, staff, as_role):
    writer, editor, chief = as_role("writer"), as_role("editor"), as_role("chief")
    story = complete_article(
        newsroom["news"], staff["writer"], title="Pier repairs", dek="", body=[]
    )
    messages_after(writer, submit(writer, story))
    messages_after(editor, act_in_editor(editor, story, "approve"))

    said = messages_after(chief, act_in_editor(chief, story, "approve"))

    assert said == [
        "“Pier repairs” was not published. Still missing: A dek (the sentence under the headline)."
    ]
    assert current_task_state(story).task.name == "Publication approval"


def test_the_time_of_another_day_carries_its_date(settings):
    from editorial.outcomes import newsroom_time

    settings.TIME_ZONE = "Europe/London"
    now = datetime(2026, 12, 7, 9, 0, tzinfo=LONDON)
    assert newsroom_time(now + timedelta(hours=5), now=now) == "14:00 (Europe/London)"
    assert newsroom_time(now + timedelta(days=1), now=now) == "Tue 8 Dec, 09:00 (Europe/London)"
