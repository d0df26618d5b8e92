"""The Wagtail site a request is for, with its root page ready to route, from the shared cache.

Wagtail looks the site up with one query per request and then loads the root page's specific
row with another, before it can route anywhere. Both change a few times a year, so the answer
per host and port is kept in the cache and handed to Wagtail through its own per-request slot
(`request._wagtail_site`, which `Site.find_for_request` fills and then reuses). It is dropped
when a site or a page at the top of the tree (a site root) is saved, deleted or moved, at once
and again after commit, and lives at most `LIFETIME` seconds anyway.
"""

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from wagtail.models import Site

CACHE_KEY = "wagtail-sites"
LIFETIME = 300
SITE_ROOT_MAX_DEPTH = 2  # the tree's root and its children: the pages a site can start at


def site_for_request(request: HttpRequest) -> Site | None:
    host = request._get_raw_host()
    known = cache.get(CACHE_KEY) or {}
    key = f"{host}:{request.get_port()}"
    if key in known:
        return known[key]
    site = Site._find_for_request(request)  # noqa: SLF001 - Wagtail's lookup, without its cache
    if site is not None:
        site.root_page = site.root_page.specific
    cache.set(CACHE_KEY, {**known, key: site}, timeout=LIFETIME)
    return site


def is_site_root(page) -> bool:
    return page.depth <= SITE_ROOT_MAX_DEPTH


def forget_sites() -> None:
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
