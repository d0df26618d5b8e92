"""The not-found page searches for the address's words; search dates are typed day first."""

import pytest

from search.views import words_of_path
from tests.search.conftest import days_ago

pytestmark = pytest.mark.django_db


def test_a_mistyped_story_address_suggests_the_story(client, publish):
    story = publish("Harbour bridge reopens after repairs", first_published_at=days_ago(3))
    publish("Council approves the annual budget", first_published_at=days_ago(1))

    response = client.get("/news/harbour-bridge-reopenz/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Were you looking for one of these?" in html
    assert f'<a href="{story.url}">Harbour bridge reopens after repairs</a>' in html
    assert "Council approves" not in html
    assert 'href="/search/?q=harbour%20bridge"' in html  # the words that found it


def test_an_address_with_no_matching_words_offers_only_the_search(client, publish):
    publish("Harbour bridge reopens after repairs")

    response = client.get("/news/zebra-crossing-plan/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Were you looking for one of these?" not in html
    assert 'href="/search/?q=zebra%20crossing%20plan"' in html
    assert '<nav class="site-nav" aria-label="Sections">' in html  # the site's own page


def test_a_drafts_words_do_not_reveal_it_on_the_not_found_page(client, site_tree):
    from news.factories import ArticlePageFactory

    ArticlePageFactory(parent=site_tree["news"], title="Secret merger talks", draft=True)

    html = client.get("/news/secret-merger-talks/").content.decode()

    assert "Secret merger talks" not in html


def test_the_words_of_a_path_are_its_slugs_letters():
    assert words_of_path("/news/world/flood-barrier-holds-2026/") == ["flood", "barrier", "holds"]
    assert words_of_path("/") == []
    assert words_of_path("/wp-login.php") == ["login", "php"]


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("3/12/2026", "2026-12-03"),
        ("03/12/2026", "2026-12-03"),
        ("2026-12-03", "2026-12-03"),
        ("3.12.2026", "2026-12-03"),
        ("3 December 2026", "2026-12-03"),
    ],
)
def test_search_dates_are_read_day_first(client, site_tree, typed, day):
    response = client.get("/search/", {"q": "harbour", "published_from": typed})

    assert response.status_code == 200
    assert not response.context["form"].errors
    assert response.context["form"].cleaned_data["published_from"].isoformat() == day


def test_a_month_first_date_past_the_twelfth_is_not_guessed(client, site_tree):
    response = client.get("/search/", {"q": "harbour", "published_from": "12/31/2026"})

    assert "published_from" in response.context["form"].errors
