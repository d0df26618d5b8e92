"""Reader-facing views of our own around Wagtail's: the password form of a private story, the
favicon at its conventional address and the web app manifest."""

from functools import lru_cache

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static

from wagtail import views as wagtail_views

from news.refusals import Refusal, refuse
from ops.client import client_ip
from ops.ratelimit import Limit, RateLimitUnavailable, hit

# A reader who mistypes tries a few times; a guesser needs thousands. Per address and private
# section, and (against many addresses at once) per section for everyone together.
PASSWORD_TRIES_PER_ADDRESS = Limit("page-password-address", 10, 600)
PASSWORD_TRIES_PER_RESTRICTION = Limit("page-password-restriction", 100, 600)
TOO_MANY_TRIES = "Too many password attempts for this page. Try again in ten minutes."


def authenticate_with_password(
    request: HttpRequest, page_view_restriction_id: int, page_id: int
) -> HttpResponse:
    """Wagtail's password form, each submission counted first (fails closed without Redis:
    a guesser must not get unlimited tries while it is away)."""
    if request.method == "POST":
        limits = [
            (PASSWORD_TRIES_PER_ADDRESS, f"{page_view_restriction_id}:{client_ip(request)}"),
            (PASSWORD_TRIES_PER_RESTRICTION, str(page_view_restriction_id)),
        ]
        try:
            exceeded = hit(limits, fail_open=False)
        except RateLimitUnavailable:
            return refuse(request, Refusal(503, "Try again in a moment.", retry_after=60))
        if exceeded:
            return refuse(
                request,
                Refusal(
                    429, TOO_MANY_TRIES, title="Too many tries", retry_after=exceeded.window_seconds
                ),
            )
    return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)


FAVICON = "icons/favicon.ico"
ICONS_CACHE_CONTROL = "public, max-age=86400"
THEME_COLOUR = "#0b5394"  # --accent in static/css/site.css


@lru_cache(maxsize=1)
def _favicon_bytes() -> bytes:
    with open(finders.find(FAVICON), "rb") as icon:
        return icon.read()


def favicon(request: HttpRequest) -> HttpResponse:
    """`/favicon.ico`, which browsers and feed readers ask for whatever the page links."""
    response = HttpResponse(_favicon_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = ICONS_CACHE_CONTROL
    return response


def web_manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: name, colours and icons for a home-screen shortcut."""
    from news.models import NewsroomSettings

    name = NewsroomSettings.for_request(request).name
    manifest = {
        "name": name,
        "short_name": name[:12],
        "start_url": "/",
        "scope": "/",
        "display": "minimal-ui",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response
