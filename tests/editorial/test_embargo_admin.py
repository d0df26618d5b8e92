"""Embargoed stories stand out in the admin: the page listing's status, the desk's "Scheduled
next 24 h" panel and the story budget's calendar say when the embargo lifts."""

from datetime import timedelta

from django.utils import timezone

import pytest

from news.models import ArticlePage
from news.models.embargo import embargo_text
from tests.editorial.conftest import complete_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def embargoed_story(newsroom, staff):
    until = (timezone.now() + timedelta(hours=6)).replace(second=0, microsecond=0)
    story = complete_article(newsroom["news"], staff["writer"], title="Treaty signed")
    ArticlePage.objects.filter(pk=story.pk).update(embargo_until=until)
    latest = ArticlePage.objects.get(pk=story.pk)
    latest.save_revision(user=staff["writer"])
    return latest, until


def test_the_page_listing_marks_the_story_embargoed(embargoed_story, as_role, newsroom):
    story, until = embargoed_story

    html = as_role("chief").get(f"/admin/pages/{newsroom['news'].pk}/").content.decode()

    assert f"draft, embargoed until {embargo_text(until)}" in html


def test_the_desk_panel_and_the_budget_show_when_the_embargo_lifts(embargoed_story, as_role):
    story, until = embargoed_story
    chief = as_role("chief")

    dashboard = chief.get("/admin/").content.decode()
    day = timezone.localtime(until).strftime("%Y-%m-%d")
    budget = chief.get(f"/admin/planning/budget/?day={day}").content.decode()

    assert "Embargo lifts" in dashboard and "Treaty signed" in dashboard
    assert 'data-kind="embargo"' in budget and "Embargo lifts" in budget


def test_a_writer_who_may_not_open_the_story_sees_no_embargo_of_it(embargoed_story, as_role):
    story, until = embargoed_story
    day = timezone.localtime(until).strftime("%Y-%m-%d")

    budget = as_role("writer_b").get(f"/admin/planning/budget/?day={day}").content.decode()

    assert "Treaty signed" not in budget
