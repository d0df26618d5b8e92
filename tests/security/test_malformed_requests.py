"""I-04, I-05, I-07: malformed URLs, parameters, hosts and oversized requests get a 4xx, never a 500."""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

import pytest

from news.factories import ArticlePageFactory

LONG_SLUG = "a" * 300


@pytest.fixture
def articles(site_tree):
    return [
        ArticlePageFactory(parent=site_tree["news"], title="Council meets", slug="council-meets"),
        ArticlePageFactory(parent=site_tree["news"], title="Budget passes", slug="budget-passes"),
        ArticlePageFactory(parent=site_tree["news"], title="Bridge closes", slug="bridge-closes"),
    ]


NOT_FOUND = [
    "/news/%ff/",
    "/news/%ff",
    "/news/..%2f/",
    "/news/..%2f..%2f..%2fetc%2fpasswd/",
    "/news/%2e%2e/%2e%2e/",
    "/news/council-meets%00/",
    "/news/%00/",
    "/news/ünïcödé-ślug/",
    "/news/%E2%80%AEstem-elbuod/",  # RTL override
    "/news/council\u200b-meets/",  # zero-width space
    "/news/\u0441ouncil-meets/",  # Cyrillic "с": a homoglyph of a real slug
    "/news/ｃｏｕｎｃｉｌ-meets/",  # full-width letters
    f"/news/{LONG_SLUG}/",
    f"/news/{LONG_SLUG}/{LONG_SLUG}/{LONG_SLUG}/",
    "/news/tag/%ff/",
    f"/news/tag/{LONG_SLUG}/",
    "/news/tag/no-such-tag/",
    "/news/council-meets/..%2fbudget-passes/",
    "/news/?page=-1",
    "/news/?page=0",
    "/news/?page=abc",
    "/news/?page=1000000000",
    "/news/?page=1e3",
    "/news/?page=%00",
    "/news/?page=1%00",
    "/news/?page=%EF%BC%91",  # full-width digit one
    "/news/?page=%C2%B2",  # superscript two: isdigit() but not int()
    "/news/?tag=no-such-tag",
    "/search/?q=council&page=-1",
    "/search/?q=council&page=abc",
    "/search/?q=council&page=1000000000",
]

# Filters that are not slugs at all (news/models/pages.py refuses them with a 400 page).
BAD_REQUEST = [
    "/news/?tag=%00",
    "/news/?tag=%ff",
    "/news/?tag=%27%20OR%201%3D1%20--",
    f"/news/?tag={'a' * 101}",
]

OK = [
    "/search/?q=%00",
    "/search/?q=council%00meets",
    "/search/?q=%ff%fe",
    "/search/?q=%27%20OR%201%3D1%20--",
    "/search/?q=%26%7C%21%3A%2A%3C-%3E",
    "/search/?q=" + "x" * 10_000,
    "/?page=%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", NOT_FOUND)
def test_malformed_paths_and_page_numbers_are_not_found(client, articles, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("path", BAD_REQUEST)
def test_filters_that_are_not_slugs_are_bad_requests(client, articles, path):
    assert client.get(path).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("path", OK)
def test_hostile_query_strings_are_answered_normally(client, articles, path):
    response = client.get(path)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_homoglyph_slug_never_serves_the_real_article(client, articles):
    assert client.get("/news/council-meets/").status_code == 200
    assert "Council meets" not in client.get("/news/\u0441ouncil-meets/").text


@pytest.mark.django_db
def test_a_spoofed_host_is_refused_and_a_forwarded_host_is_ignored(client, articles):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/news/council-meets/", HTTP_HOST="evil.example").status_code == 400
    assert client.get("/", HTTP_HOST="localhost\r\nX-Injected: 1").status_code == 400
    forwarded = client.get("/news/council-meets/", HTTP_X_FORWARDED_HOST="evil.example")
    assert forwarded.status_code == 200
    assert "evil.example" not in forwarded.text


@pytest.mark.django_db
def test_a_ten_megabyte_post_is_refused_before_it_reaches_the_login(client, articles):
    get_user_model().objects.create_superuser("editor", "e@example.com", "a long password here")
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "a long password here", "filler": "x" * 10_000_000},
    )
    assert response.status_code == 400
    assert not Session.objects.exists()


@pytest.mark.django_db
def test_a_hundred_thousand_form_fields_are_refused(client, articles):
    fields = "&".join(f"f{n}=1" for n in range(100_000))
    posted = client.post("/admin/login/", fields, content_type="application/x-www-form-urlencoded")
    assert posted.status_code == 400
    assert not Session.objects.exists()
    # The same limit guards query strings on public pages.
    assert client.get(f"/search/?{fields}").status_code == 400
    assert client.get(f"/news/?{fields}").status_code == 400


@pytest.mark.django_db
def test_a_post_to_a_public_page_without_a_csrf_token_is_forbidden(articles):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/news/council-meets/", {"x" * 100: "y" * 1_000_000})
    assert response.status_code == 403
