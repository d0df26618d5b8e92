"""Same-origin check for the reader endpoints that must work from cached pages.

A cached article page cannot carry a per-visitor CSRF token, so the reaction and comment
endpoints are CSRF-exempt and instead require the browser's own statement of where the
request came from: `Sec-Fetch-Site: same-origin`, else a matching `Origin`, else a matching
`Referer`. Every browser from the last several years sends at least one of them on a POST;
a request with none is refused. The endpoints act for nobody (no session, no login), so a
forged request could only do what any anonymous visitor can, and rate limits cap that.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _allowed_origins(request: HttpRequest) -> set[str]:
    return {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def is_same_origin(request: HttpRequest) -> bool:
    fetch_site = request.META.get("HTTP_SEC_FETCH_SITE")
    if fetch_site is not None:
        # The browser's own verdict; scripts cannot set or change this header.
        return fetch_site == "same-origin"
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin in _allowed_origins(request)
    referer = request.META.get("HTTP_REFERER")
    if referer is not None:
        return _origin_of(referer) in _allowed_origins(request)
    return False
