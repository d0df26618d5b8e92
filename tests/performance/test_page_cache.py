"""The anonymous full-page cache: who gets cached pages, what is stored, what headers go out."""

import re
import time

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client, RequestFactory

from wagtail.models import Collection

import pytest
import redis

from news.caching import mark_public
from news.factories import ArticlePageFactory, NewsImageFactory, StaffProfilePageFactory
from news.middleware import PageCacheMiddleware

PUBLIC = "public, max-age=0, s-maxage=300, stale-while-revalidate=60"


@pytest.fixture
def article(site_tree, redis_client):
    author = StaffProfilePageFactory(parent=site_tree["staff"], title="Ada Reporter")
    return ArticlePageFactory(
        parent=site_tree["news"], title="Harbour bridge reopens", slug="bridge", authors=[author]
    )


def script_nonce(html: str) -> str:
    return re.search(r'<script src="[^"]+" nonce="([^"]+)"', html).group(1)


def header_nonce(response) -> str:
    return re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)


@pytest.mark.django_db
def test_anonymous_article_is_stored_then_served_from_the_cache(client, article):
    first = client.get("/news/bridge/")
    second = client.get("/news/bridge/")

    assert first.status_code == second.status_code == 200
    assert (first["X-Cache"], second["X-Cache"]) == ("MISS", "HIT")
    assert first["Cache-Control"] == second["Cache-Control"] == PUBLIC
    assert "Set-Cookie" not in first and "Set-Cookie" not in second
    assert not first.cookies and not second.cookies
    assert "Harbour bridge reopens" in second.text

    # The same page, but for what each response makes anew: the nonce and the comment stamp.
    def without_per_response_values(response):
        text = response.text.replace(script_nonce(response.text), "")
        return re.sub(r'name="stamp" value="[^"]+"', 'name="stamp"', text)

    assert without_per_response_values(first) == without_per_response_values(second)


@pytest.mark.django_db
def test_each_cached_copy_carries_a_fresh_nonce_matching_its_header(client, article):
    responses = [client.get("/news/bridge/") for _ in range(3)]

    nonces = [header_nonce(response) for response in responses]
    assert [script_nonce(response.text) for response in responses] == nonces
    assert len(set(nonces)) == 3
    assert "masthead-csp-nonce-slot" not in responses[2].text
    assert responses[2]["X-Frame-Options"] == "DENY"
    assert responses[2]["X-Content-Type-Options"] == "nosniff"
    assert int(responses[2]["Content-Length"]) == len(responses[2].content)


@pytest.mark.django_db
def test_staff_never_get_the_cached_page_and_their_page_is_never_stored(client, article):
    staff = User.objects.create_superuser("editor", "editor@example.com", "pw")
    client.get("/news/bridge/")  # anonymous: now cached
    editor = Client()
    editor.force_login(staff)

    staff_page = editor.get("/news/bridge/")
    assert staff_page.status_code == 200
    assert "X-Cache" not in staff_page
    assert staff_page["Cache-Control"] == "private, no-store"
    assert "wagtail-userbar" in staff_page.text

    # A staff member's first view of a page does not seed the cache either.
    other = ArticlePageFactory(parent=article.get_parent(), title="Council vote", slug="vote")
    editor.get(other.url)
    anonymous = client.get(other.url)
    assert anonymous["X-Cache"] == "MISS"
    assert "wagtail-userbar" not in anonymous.text


@pytest.mark.django_db
def test_a_session_cookie_alone_bypasses_the_cache(client, article):
    client.get("/news/bridge/")
    client.cookies["sessionid"] = "not-a-real-session"

    response = client.get("/news/bridge/")

    assert response.status_code == 200
    assert "X-Cache" not in response
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_previews_are_private_and_never_stored(client, article):
    article.title = "Draft headline under embargo"
    response = article.make_preview_request()

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Draft headline under embargo" in response.content.decode()
    anonymous = client.get("/news/bridge/")
    assert anonymous["X-Cache"] == "MISS"
    assert "Draft headline under embargo" not in anonymous.text


@pytest.mark.django_db
def test_tracking_parameters_share_the_plain_page_and_unknown_ones_bypass(client, article):
    client.get("/news/bridge/")

    assert client.get("/news/bridge/?utm_source=social&fbclid=x")["X-Cache"] == "HIT"
    unknown = [client.get("/news/bridge/?preview=1") for _ in range(2)]
    assert [response.status_code for response in unknown] == [200, 200]
    assert ["X-Cache" in response for response in unknown] == [False, False]


@pytest.mark.django_db
def test_a_page_parameter_the_page_ignores_is_not_stored(client, article):
    responses = [client.get("/news/bridge/?page=9") for _ in range(2)]

    assert [response.status_code for response in responses] == [200, 200]
    assert ["X-Cache" in response for response in responses] == [False, False]


@pytest.mark.django_db
def test_listing_pages_are_cached_per_page_number(client, site_tree, redis_client):
    for number in range(13):
        ArticlePageFactory(parent=site_tree["news"], title=f"Story number {number}")

    assert client.get("/news/")["X-Cache"] == "MISS"
    assert client.get("/news/?page=2")["X-Cache"] == "MISS"
    page_two = client.get("/news/?page=2&utm_medium=email")
    assert page_two["X-Cache"] == "HIT"
    assert "Story number 0" in page_two.text
    assert "Story number 0" not in client.get("/news/").text
    assert client.get("/news/?page=3").status_code == 404
    assert "X-Cache" not in client.get("/news/?page=3")


@pytest.mark.django_db
def test_writes_and_head_requests(client, article):
    client.get("/news/bridge/")

    assert client.head("/news/bridge/")["X-Cache"] == "HIT"
    post = client.post("/news/bridge/")
    assert "X-Cache" not in post


@pytest.mark.django_db
def test_a_disallowed_host_gets_400_not_a_cached_page(client, article):
    client.get("/news/bridge/")

    assert client.get("/news/bridge/", HTTP_HOST="evil.example").status_code == 400


@pytest.mark.django_db
def test_pages_still_render_when_the_cache_redis_is_down(client, article, settings):
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }

    responses = [client.get("/news/bridge/") for _ in range(2)]

    assert [response.status_code for response in responses] == [200, 200]
    assert ["Harbour bridge reopens" in response.text for response in responses] == [True, True]
    assert [response.get("X-Cache") for response in responses] == ["MISS", "MISS"]


def test_a_public_response_that_sets_a_cookie_is_made_private_and_not_stored(redis_client):
    def view(request):
        response = mark_public(HttpResponse("hello"))
        response.set_cookie("tracker", "1")
        return response

    middleware = PageCacheMiddleware(view)
    request = RequestFactory().get("/cookie-page/")

    response = middleware(request)

    assert response["Cache-Control"] == "private, no-store"
    assert "X-Cache" not in response
    assert middleware(RequestFactory().get("/cookie-page/")).cookies["tracker"].value == "1"


@pytest.mark.django_db
def test_a_page_with_an_accented_address_is_purged_on_change(
    client, site_tree, redis_client, django_capture_on_commit_callbacks
):
    """Wagtail's URLs percent-encode a unicode slug (`/staff/chlo%C3%A9-martin/`) while Django
    hands the middleware the decoded path; both must name the same cache entry."""
    profile = StaffProfilePageFactory(
        parent=site_tree["staff"], title="Chloé Martin", slug="chloé-martin", role="Reporter"
    )
    url = profile.url
    assert "%C3%A9" in url
    client.get(url)
    assert client.get(url)["X-Cache"] == "HIT"

    profile.role = "Political editor"
    with django_capture_on_commit_callbacks(execute=True):
        profile.save_revision().publish()

    response = client.get(url)
    assert response["X-Cache"] == "MISS"
    assert "Political editor" in response.text


@pytest.mark.django_db
def test_rendering_pages_reads_prefetched_renditions_and_writes_none_back(client, site_tree):
    """Wagtail's `{% image %}` stores each rendition it shows in the cache on every render, even
    one it found already loaded: a Redis write per image per page for nothing. Pages that load
    their images' renditions with their rows (cards, the article's images, author photos) only
    read them. (A profile's own photo comes from the cache, and Wagtail writes cache hits back.)"""
    if not Collection.get_first_root_node():  # transactional tests flush the root collection
        Collection.add_root(name="Root")
    photo, lead = NewsImageFactory(), NewsImageFactory()
    author = StaffProfilePageFactory(parent=site_tree["staff"], title="Ada Photo", photo=photo)
    story = ArticlePageFactory(
        parent=site_tree["news"], title="Card story", lead_image=lead, authors=[author]
    )
    urls = ["/", "/news/", story.url]
    for url in urls:  # the first views make the renditions and fill the cache
        assert client.get(url).status_code == 200
    time.sleep(1.5)

    for url in urls:
        assert client.get(url, {"uncached": 1}).status_code == 200

    cache_redis = redis.Redis.from_url(settings.CACHE_REDIS_URL)
    renditions = [key for key in cache_redis.keys("*") if b"wagtail-rendition" in key]
    assert renditions
    rewritten = [key for key in renditions if cache_redis.pttl(key) > 299_000]
    assert not rewritten
