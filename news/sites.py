"""The Wagtail site a request is for, with its root page ready to route, from the shared cache.

Wagtail looks the site up with one query per request and then loads the root page's specific
row with another, before it can route anywhere. Both change a few times a year, so the answer
per host and port is kept in the cache and handed to Wagtail through its own per-request slot
(`request._wagtail_site`, which `Site.find_for_request` fills and then reuses). It is dropped
when a site or a page at the top of the tree (a site root) is saved, deleted or moved, at once
and again after commit, and lives at most `LIFETIME` seconds anyway.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import DatabaseError, transaction
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


def origin_for_request(request: HttpRequest) -> str:
    """`scheme://host[:port]` of the site serving this request, from its Site record (which
    `set_site_origin` keeps equal to PUBLIC_BASE_URL), never from the request's Host header: a
    page names one origin in its canonical link, images, JSON-LD, feeds and sitemaps, and a
    request with a stray Host cannot plant its own in a page the cache keeps."""
    site = Site.find_for_request(request)
    return site.root_url if site else request.build_absolute_uri("/").rstrip("/")


def absolute_url(request: HttpRequest, url: str) -> str:
    """`url` (a path, or already absolute: media on a CDN) made absolute on the site's origin."""
    if url.startswith(("http://", "https://")):
        return url
    return origin_for_request(request) + url


def site_address(base_url: str) -> tuple[str, int]:
    """The Wagtail Site hostname and port that serve `base_url` (`http(s)://host[:port]`).

    Wagtail derives a site's scheme from its port (443 is https, anything else http), so an
    https origin must be on port 443.
    """
    parts = urlsplit(base_url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{base_url!r} is not an http(s) origin such as https://news.example.com")
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        raise ValueError(f"{base_url!r} has a path; give the origin only (scheme, host, port)")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if parts.scheme == "https" and port != 443:
        raise ValueError(f"{base_url!r}: Wagtail serves https on port 443 only")
    if parts.scheme == "http" and port == 443:
        raise ValueError(f"{base_url!r}: port 443 is https to Wagtail")
    return parts.hostname, port


def set_default_site_origin(base_url: str) -> Site:
    """Make the default site answer at `base_url`: every absolute URL it writes then names it."""
    hostname, port = site_address(base_url)
    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return site


def check_site_origin(app_configs=None, databases=None, **kwargs) -> list[checks.Warning]:
    """With `check --deploy --database default`: the default site answers at PUBLIC_BASE_URL."""
    if not databases or not settings.PUBLIC_BASE_URL:
        return []
    try:
        site = Site.objects.filter(is_default_site=True).first()
    except DatabaseError:  # not migrated yet
        return []
    if site is None or site.root_url == settings.PUBLIC_BASE_URL:
        return []
    return [
        checks.Warning(
            f"The default site answers at {site.root_url}, not PUBLIC_BASE_URL "
            f"({settings.PUBLIC_BASE_URL}): absolute URLs in pages, feeds and sitemaps name the "
            "former.",
            hint="Run `manage.py set_site_origin`.",
            id="news.W001",
        )
    ]


def check_public_base_url_is_set(app_configs=None, **kwargs) -> list[checks.Warning]:
    """With `check --deploy`: production names its origin."""
    if settings.PUBLIC_BASE_URL:
        return []
    return [
        checks.Warning(
            "PUBLIC_BASE_URL is not set: the default site keeps whatever origin it has.",
            hint="Set PUBLIC_BASE_URL to the origin readers use, e.g. https://news.example.com.",
            id="news.W002",
        )
    ]
