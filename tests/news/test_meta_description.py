"""Every reader page describes itself once: the editor's search description, else the field
that says what the page is (a section's intro, a story's dek, a profile's bio as plain text)."""

import re

import pytest

from news.factories import ArticlePageFactory, StaffProfilePageFactory

pytestmark = pytest.mark.django_db


def meta_description(client, url: str) -> str | None:
    html = client.get(url).content.decode()
    found = re.search(r'<meta name="description" content="([^"]*)">', html)
    return found.group(1) if found else None


def test_each_page_type_falls_back_to_its_own_field(client, site_tree):
    news = site_tree["news"]
    news.intro = "Every story, newest first."
    news.save_revision().publish()
    story = ArticlePageFactory(parent=news, title="Harbour", slug="harbour", dek="It reopens.")
    profile = StaffProfilePageFactory(
        parent=site_tree["staff"], title="Ada", slug="ada", bio="<p>Covers <b>courts</b>.</p>"
    )

    assert meta_description(client, news.url) == "Every story, newest first."
    assert meta_description(client, story.url) == "It reopens."
    assert meta_description(client, profile.url) == "Covers courts."
    assert profile.meta_description == "Covers courts."
    # The front page has no field of its own to fall back on.
    assert meta_description(client, site_tree["home"].url) is None


def test_the_search_description_wins(client, site_tree):
    story = ArticlePageFactory(
        parent=site_tree["news"], slug="harbour", dek="It reopens.", search_description="Written."
    )

    assert meta_description(client, story.url) == "Written."
