"""Serve anonymous readers from the page cache before sessions, authentication or the database.

Place it after SecurityMiddleware and WhiteNoise and before SessionMiddleware: a hit returns
here, so the outer middleware still adds the security headers, and nothing inside runs. The
rules for what may be served and stored are in `news.caching`.
"""

import logging
import time

from django.http import HttpRequest, HttpResponse

from wagtail.views import serve as wagtail_serve

from news import caching, sites

logger = logging.getLogger(__name__)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.time()
        key = caching.request_cache_key(request)
        if key is not None:
            request.get_host()  # a disallowed Host is a 400, never a cached page
            cached = caching.fetch(key)
            if cached is not None:
                return cached
        response = self.get_response(request)
        if caching.is_public(response) and response.cookies:
            logger.warning("%s set a cookie on a public response; made it private", request.path)
            caching.mark_private(response)
        if key is not None and caching.is_storable(request, response):
            caching.store(key, request, response, started=started)
            response.headers["X-Cache"] = "MISS"
        return response


class CachedSiteMiddleware:
    """Give Wagtail's page view the request's site from the shared cache (see `news.sites`);
    other views never ask for it, so they pay nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve and not hasattr(request, "_wagtail_site"):
            request._wagtail_site = sites.site_for_request(request)
