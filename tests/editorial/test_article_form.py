"""The article form in the newsroom's words, grouped the way a story is written, bylined to
its writer; and the per-story lead-image caption and credit readers see."""

import html
import re

import pytest

from news.factories import ArticlePageFactory, NewsImageFactory
from tests.editorial.conftest import complete_article

pytestmark = pytest.mark.django_db


def soup(response):
    from wagtail.test.utils import WagtailTestUtils

    assert response.status_code == 200
    return WagtailTestUtils.get_soup(response.content.decode())


def new_article_form(client, news):
    return client.get(f"/admin/pages/add/news/articlepage/{news.pk}/")


def test_the_new_article_form_speaks_newsroom(newsroom, staff, as_role):
    response = new_article_form(as_role("writer"), newsroom["news"])
    page = soup(response)
    # The body's block definitions, as the page hands them to Wagtail's JavaScript.
    definitions = html.unescape(response.content.decode())
    text = page.get_text(" ", strip=True)

    assert page.select_one("#id_title")["placeholder"] == "Headline*"
    assert page.select_one("label[for=id_title]").get_text(strip=True) == "Headline*"
    # (each tab's label is followed by its error count, empty here)
    tabs = [tab.get_text(" ", strip=True).split(" (")[0] for tab in page.select("[role=tab]")]
    assert tabs == ["Story", "Sources and dates", "Promote", "Settings"]
    for words in (
        "Lead image",
        "Byline(s)",
        "Add byline",
        "Related: pin",
        "Add pinned story",
        "Related: never suggest",
        "Add story never to suggest",
        "Aggregated from another outlet",
    ):
        assert words in text, words
    for wagtail_words in (
        "Page title",
        "Bylines 1",
        "Choose a page (Staff profile)",
        "Add Pinned",
        "Add Never suggest",
        "Is aggregated",
    ):
        assert wagtail_words not in text, wagtail_words
    # The body's blocks (drawn by JavaScript from this definition): labelled fact items, a
    # "Pull quote" box, and a photo block that does not read Image › Image › Image.
    labels = set(re.findall(r'"label": "([^"]*)"', definitions))
    assert {"Pull quote", "Fact", "Facts", "Photo", "Picture", "Image file"} <= labels
    assert {"Is pull quote", "Image"}.isdisjoint(labels)


def test_a_new_article_is_bylined_to_its_writer(newsroom, staff, as_role):
    page = soup(new_article_form(as_role("writer"), newsroom["news"]))

    byline = page.select_one("select#id_bylines-0-profile")
    assert byline.select_one("option[selected]").get_text(strip=True) == "Writer"
    assert page.select_one("#id_bylines-TOTAL_FORMS")["value"] == "1"
    # The list offers the staff by name.
    names = [option.get_text(strip=True) for option in byline.select("option") if option["value"]]
    assert sorted(names) == ["Chief", "Editor", "Writer", "Writer_B"]


def test_an_existing_story_keeps_its_bylines(newsroom, staff, as_role):
    story = complete_article(newsroom["news"], staff["writer_b"], title="Ferry strike")
    page = soup(as_role("chief").get(f"/admin/pages/{story.pk}/edit/"))

    assert page.select_one("#id_bylines-TOTAL_FORMS")["value"] == "1"
    selected = page.select_one("select#id_bylines-0-profile option[selected]")
    assert selected.get_text(strip=True) == "Writer_B"


def test_the_story_s_own_caption_and_credit_come_before_the_library_s(site_tree, client):
    image = NewsImageFactory(caption="Library caption", credit="Library credit")
    own = ArticlePageFactory(
        parent=site_tree["news"],
        lead_image=image,
        lead_image_caption="The mayor at the count",
        lead_image_credit="Jo Lens/Masthead",
    )
    plain = ArticlePageFactory(parent=site_tree["news"], lead_image=image)

    figure = soup(client.get(own.url)).select_one(".article__lead figcaption")
    assert figure.get_text(" ", strip=True) == "The mayor at the count Photo: Jo Lens/Masthead"
    figure = soup(client.get(plain.url)).select_one(".article__lead figcaption")
    assert figure.get_text(" ", strip=True) == "Library caption Photo: Library credit"
