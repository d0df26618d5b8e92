"""The dashboard and editor as a writer sees them: the checklist before submitting, the
reviewer's comment on the dashboard, one review queue, their own day, the newsroom's name."""

from django.utils import timezone

import pytest

from news.factories import ArticlePageFactory
from tests.editorial.conftest import complete_article, submit_for_review, workflow_action
from tests.editorial.test_desk import panel

pytestmark = pytest.mark.django_db


def soup(response):
    from wagtail.test.utils import WagtailTestUtils

    assert response.status_code == 200, response.status_code
    return WagtailTestUtils.get_soup(response.content.decode())


def test_the_writer_sees_the_checklist_while_writing(newsroom, staff, as_role):
    story = complete_article(newsroom["news"], staff["writer"], title="Tram works", dek="")

    checklist = soup(as_role("writer").get(f"/admin/pages/{story.pk}/edit/")).select_one(
        "[data-publication-checklist]"
    )

    assert checklist.get_text(" ", strip=True) == (
        "Before it can be published, this story still needs: "
        "A dek (the sentence under the headline). "
        "Someone other than its authors approves it: the desk reviews it after you submit."
    )
    new = soup(as_role("writer").get(f"/admin/pages/add/news/articlepage/{newsroom['news'].pk}/"))
    items = [li.get_text(strip=True) for li in new.select("[data-publication-checklist] li")]
    assert items == [
        "A dek (the sentence under the headline).",
        "A lead image.",
        "At least one tag.",
    ]  # the byline is the writer's already


def test_the_writer_s_dashboard_shows_the_changes_asked_for(newsroom, staff, as_role):
    story = complete_article(newsroom["news"], staff["writer"], title="Council vote")
    submit_for_review(as_role("writer"), story)
    workflow_action(as_role("editor"), story, "reject", comment="Name the councillor.")
    complete_article(newsroom["news"], staff["writer"], title="Untouched draft")

    drafts = soup(as_role("writer").get("/admin/")).find(id="my-drafts-section")
    rows = {
        row.select_one("a").get_text(strip=True): row.select("td")[1].get_text(" ", strip=True)
        for row in drafts.select("tbody tr")
    }

    assert rows == {
        "Council vote": "Changes requested by Editor “Name the councillor.”",
        "Untouched draft": "draft",
    }
    # The editor's workflow dialog names who asked for the changes, not who submitted.
    dialog = soup(as_role("writer").get(f"/admin/pages/{story.pk}/edit/")).find(
        id="workflow-status-dialog"
    )
    heading = dialog.get_text(" ", strip=True)
    assert "Changes requested" in heading and "by Editor" in heading
    assert "by Writer" not in heading


def test_one_review_queue_and_each_sees_their_own_day(newsroom, staff, as_role):
    story = complete_article(newsroom["news"], staff["writer"], title="Council vote")
    submit_for_review(as_role("writer"), story)
    mine = ArticlePageFactory(
        parent=newsroom["news"], title="My morning story", owner=staff["writer"]
    )
    mine.save_revision(user=staff["writer"]).publish()
    ArticlePageFactory(
        parent=newsroom["news"], title="A colleague's story", last_published_at=timezone.now()
    )

    editor = as_role("editor").get("/admin/").content.decode()
    writer = as_role("writer").get("/admin/").content.decode()

    assert editor.count("Council vote") == 1  # in "Awaiting my review", not in Wagtail's too
    assert "Awaiting your review" not in editor
    everything = panel(editor, "published-today")
    assert "Published today" in everything and "A colleague's story" in everything
    own = panel(writer, "published-today")
    assert "Mine published today" in own and "My morning story" in own
    assert "A colleague's story" not in own


def test_the_dashboard_carries_the_newsroom_s_name_and_the_budget_is_in_the_menu(
    newsroom, staff, as_role, settings
):
    settings.WAGTAIL_SITE_NAME = "Riverside Gazette"

    page = soup(as_role("writer").get("/admin/"))

    assert page.select_one("h1").get_text(strip=True) == "Riverside Gazette"
    assert "localhost" not in page.select_one("h1").get_text()
    assert not [img["src"] for img in page.select("img") if "gravatar" in img.get("src", "")]
    assert '"url": "/admin/planning/budget/"' in str(page) or "/admin/planning/budget/" in str(
        page.select_one("#wagtail-sidebar-props") or page
    )
