"""Starting a story: "New article" on the dashboard and on each section's listing, straight to
the form in the writer's section; writers are not offered a new section, nor may create one."""

import pytest

from news.factories import NewsIndexPageFactory
from news.models import NewsIndexPage
from tests.editorial.conftest import complete_article

pytestmark = pytest.mark.django_db


def soup(response):
    from wagtail.test.utils import WagtailTestUtils

    assert response.status_code == 200, response.status_code
    return WagtailTestUtils.get_soup(response.content.decode())


def add_url(section):
    return f"/admin/pages/add/news/articlepage/{section.pk}/"


def test_the_dashboard_starts_a_story_in_the_writer_s_last_section(newsroom, staff, as_role):
    news = newsroom["news"]
    sport = NewsIndexPageFactory(parent=news, title="Sport", slug="sport")
    writer = as_role("writer")

    panel = soup(writer.get("/admin/")).select_one("#new-article")
    assert panel.select_one("[data-new-article]").get_text(" ", strip=True) == "New article"
    assert panel.select_one("[data-new-article]")["href"] == add_url(news)
    assert "in News" in panel.get_text(" ", strip=True)
    assert [link["href"] for link in panel.select(".w-help-text a")] == [add_url(sport)]

    complete_article(sport, staff["writer"], title="Derby day")
    panel = soup(writer.get("/admin/")).select_one("#new-article")
    assert panel.select_one("[data-new-article]")["href"] == add_url(sport)
    assert "in Sport" in panel.get_text(" ", strip=True)
    # Another writer's last story says nothing about this one's section.
    panel = soup(as_role("writer_b").get("/admin/")).select_one("#new-article")
    assert panel.select_one("[data-new-article]")["href"] == add_url(news)


def test_the_new_article_link_opens_the_form_bylined_to_the_writer(newsroom, staff, as_role):
    page = soup(as_role("writer").get(add_url(newsroom["news"])))
    selected = page.select_one("select#id_bylines-0-profile option[selected]")
    assert selected.get_text(strip=True) == "Writer"


def test_a_section_listing_offers_new_article_there(newsroom, staff, as_role):
    sport = NewsIndexPageFactory(parent=newsroom["news"], title="Sport", slug="sport")

    page = soup(as_role("writer").get(f"/admin/pages/{sport.pk}/"))

    [link] = [a for a in page.select("a") if a.get_text(" ", strip=True) == "New article"]
    assert link["href"] == add_url(sport)


def test_writers_are_not_offered_a_new_section_and_may_not_create_one(newsroom, staff, as_role):
    news = newsroom["news"]
    writer_choices = soup(as_role("writer").get(f"/admin/pages/{news.pk}/add_subpage/"))
    editor_choices = soup(as_role("editor").get(f"/admin/pages/{news.pk}/add_subpage/"))

    def offered(page):
        return {a["href"] for a in page.select("ul.listing a.w-flex")}

    assert f"/admin/pages/add/news/newsindexpage/{news.pk}/" not in offered(writer_choices)
    assert add_url(news) in offered(writer_choices)
    assert f"/admin/pages/add/news/newsindexpage/{news.pk}/" in offered(editor_choices)

    sections = NewsIndexPage.objects.count()
    form = as_role("writer").get(f"/admin/pages/add/news/newsindexpage/{news.pk}/")
    assert form.status_code in (302, 403)
    posted = as_role("writer").post(
        f"/admin/pages/add/news/newsindexpage/{news.pk}/",
        {"title": "Writer's own section", "slug": "writers-own"},
    )
    assert posted.status_code in (302, 403)
    assert NewsIndexPage.objects.count() == sections
