"""Which cached pages show a page, and purging them from our page cache and a CDN in front.

A change to an article shows on its own page, the fronts that show it (those above it, and those
whose slots name it or a section above it: `front_paths`), its sections' listings, the listings
of the tags and authors it has (and had, before an edit), the sitemap and feeds. The path set is
worked out in the request that made the change (it needs the state just saved, and the previous
live revision for what the edit removed). After commit the request itself deletes the plain
(query-less) entries in one round trip, so the next reader sees the change; deleting every
variant and calling the CDN happen in the background (`news.purge_cached_paths`), and never
fail the change itself.

Other parts call `purge_article_pages(article_id)` when something on an article's pages changes
outside a publish (a comment approved, a reaction total shown in listings). View counts do not
purge: a cached page may show a count up to one cache lifetime old.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable
from functools import partial
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import urlopen

from django.core.cache import cache
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from taggit.models import Tag
from wagtail.contrib.frontend_cache.backends import HTTPBackend
from wagtail.contrib.frontend_cache.backends.http import PurgeRequest
from wagtail.contrib.frontend_cache.utils import get_backends
from wagtail.models import Page, PageLogEntry, Site

from news import caching

logger = logging.getLogger(__name__)

# Site-wide documents that list articles, purged on every article change (by URL name; names
# that do not exist yet are skipped). Feeds that hang off a page belong in its get_cached_paths().
SITEWIDE_URL_NAMES = ("sitemap", "news_sitemap", "search")
# Routes of every news section that list one tag's articles, relative to the section's path.
TAG_ROUTES = ("tag/{slug}/", "tag/{slug}/feed/", "tag/{slug}/feed/atom/")
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


class PurgeFailed(Exception):
    """A CDN refused or could not be reached: the purge task retries."""


# --- What to purge ---------------------------------------------------------------------------


def page_paths(page: Page) -> set[str]:
    """The page's own path and the sub-paths it declares (feeds and other routes)."""
    parts = page.get_url_parts()
    if parts is None:
        return set()
    base = parts[2]
    return {base + sub.lstrip("/") for sub in page.specific_deferred.get_cached_paths()}


def sitewide_paths() -> set[str]:
    paths = set()
    for name in SITEWIDE_URL_NAMES:
        try:
            paths.add(reverse(name))
        except NoReverseMatch:
            continue
    return paths


def previous_live_version(page: Page) -> Page | None:
    """The page as it was at its previous publication (the edit may have dropped tags)."""
    entry = (
        PageLogEntry.objects.filter(
            page_id=page.pk, action__in=PUBLISH_ACTIONS, revision__isnull=False
        )
        .exclude(revision_id=page.live_revision_id)
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return entry.revision.as_object() if entry else None


def article_paths(article) -> set[str]:
    from news.models import ArticlePage, NewsIndexPage, StaffProfilePage

    versions = [article]
    previous = previous_live_version(article)
    if isinstance(previous, ArticlePage):
        versions.append(previous)
    tag_ids = {item.tag_id for version in versions for item in version.tagged_items.all()}
    profile_ids = {byline.profile_id for version in versions for byline in version.bylines.all()}

    paths = page_paths(article)
    if previous is not None and previous.url_path != article.url_path:
        paths |= page_paths(previous)
    ancestors = Page.objects.ancestor_of(article).filter(depth__gt=1).specific()
    slugs = list(Tag.objects.filter(pk__in=tag_ids).values_list("slug", flat=True))
    for ancestor in ancestors:
        paths |= page_paths(ancestor)
        if isinstance(ancestor, NewsIndexPage):
            base = ancestor.get_url_parts()[2]
            paths |= {base + route.format(slug=slug) for slug in slugs for route in TAG_ROUTES}
    for profile in StaffProfilePage.objects.filter(pk__in=profile_ids):
        paths |= page_paths(profile)
    return paths


def author_paths(profile) -> set[str]:
    """A profile's bio and photo show in the author box of each of their articles."""
    from news.models import ArticlePage

    paths = page_paths(profile)
    for article in ArticlePage.objects.by_author(profile).live().defer_streamfields():
        paths |= page_paths(article)
    return paths


def front_paths(page: Page) -> set[str]:
    """The fronts that may show this page: every front above it (their automatic slots fill
    from below them) and every front whose slots, as published, name the page or a section
    above it. Fronts are few (the home page and the sections), so they are read in two
    queries and their slots checked here."""
    from news import fronts
    from news.models import HomePage, NewsIndexPage

    named = set(page.get_ancestors().values_list("pk", flat=True)) | {page.pk}
    paths = set()
    for model in (HomePage, NewsIndexPage):
        for front in model.objects.live().only("path", "url_path", "front"):
            above = page.path.startswith(front.path) and front.pk != page.pk
            if above or fronts.named_page_ids(fronts.raw_blocks(front)) & named:
                paths |= page_paths(front)
    return paths


def paths_showing(page: Page) -> set[str]:
    """Every path whose cached copy may show this page."""
    from news.models import ArticlePage, StaffProfilePage

    page = page.specific
    if isinstance(page, ArticlePage):
        paths = article_paths(page)
    elif isinstance(page, StaffProfilePage):
        paths = author_paths(page)
    else:
        paths = page_paths(page)
    paths |= front_paths(page)
    parent = page.get_parent()
    if parent is not None and parent.depth > 1:
        paths |= page_paths(parent)
    site = page.get_site()
    if site is not None:
        paths |= page_paths(site.root_page)
    return paths | sitewide_paths()


# --- Purging ---------------------------------------------------------------------------------


def purge_article_pages(article_id: int) -> None:
    """Purge, after commit and in the background, every cached page that shows this article.

    The entry point for other parts (comments, reactions, corrections outside a publish).
    """
    page = Page.objects.filter(pk=article_id).first()
    if page is not None:
        purge_pages_showing(page)


def purge_article_page(article_id: int) -> None:
    """Only the article's own page: the one place its comments are shown."""
    page = Page.objects.filter(pk=article_id).first()
    if page is not None:
        site = page.get_site()
        purge_paths_after_commit(page_paths(page), root_url=site.root_url if site else "")


def purge_pages_showing(page: Page) -> None:
    """Work out the paths now; delete them once the transaction commits."""
    site = page.get_site()
    purge_paths_after_commit(paths_showing(page), root_url=site.root_url if site else "")


def purge_restriction_change(page_id: int) -> None:
    """A privacy restriction added or lifted changes what anonymous readers get from the page and
    every page under it, and which listings show them: purge as for a publish, descendants too.

    Without this a story made private stays readable from the cache (and a story made public
    stays missing from listings) for a whole cache lifetime.
    """
    from news.models import ArticlePage

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    paths = paths_showing(page)
    for article in ArticlePage.objects.descendant_of(page).live().defer_streamfields():
        paths |= page_paths(article)
    site = page.get_site()
    purge_paths_after_commit(paths, root_url=site.root_url if site else "")


def purge_front_page() -> None:
    """The breaking-news banner shows on the front page only."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        purge_paths_after_commit(page_paths(site.root_page), root_url=site.root_url)


def purge_every_page() -> None:
    """Every page in our page cache, in the background: for what every page shows (the header's
    sections). A CDN's copies are not purged (no backend can list them); they age out within
    the page cache's lifetime."""
    from news.tasks import purge_every_cached_page

    try:
        purge_every_cached_page.apply_async(
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
        )
    except Exception:
        logger.exception("Could not enqueue a purge of every page; purging the page cache inline")
        delete_every_cached_page()


def delete_every_cached_page() -> int:
    """Delete every stored page (raises if Redis is unreachable)."""
    return cache.client.delete_pattern(f"{caching.KEY_PREFIX}*")


def purge_paths_after_commit(paths: Iterable[str], *, root_url: str) -> None:
    transaction.on_commit(partial(enqueue_purge, sorted(paths), root_url), robust=True)


def enqueue_purge(paths: list[str], root_url: str) -> None:
    """Forget the plain pages at once, then hand every variant and the CDN to a worker; with
    the broker down, clear our own cache here instead."""
    from news.tasks import purge_cached_paths

    forget_plain_pages(paths)

    try:
        purge_cached_paths.apply_async(
            (paths, root_url),
            retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        )
    except Exception:
        logger.exception(
            "Could not enqueue a purge of %d paths; purging the page cache inline", len(paths)
        )
        delete_cached_paths(paths)


def forget_plain_pages(paths: Iterable[str]) -> None:
    """Delete each path's entry (query-less, or the one query a path names, such as a live
    page's hot `updates/?since=N`), in one round trip, in the request that made the change: the
    next reader of those pages sees it however far behind the workers are. The purge is noted
    first, so a slow request that read the old state cannot store it after this delete.

    Other variants (`?page=2`, filters) need a key scan, which stays in the background task.
    """
    keys = []
    purged = set()
    for path in paths:
        parts = urlsplit(path)
        path_as_requested = caching.request_path(parts.path)
        purged.add(path_as_requested)
        keys.append(caching.path_key(path_as_requested, parts.query))
    caching.remember_purges(purged)
    cache.delete_many(keys)


def delete_cached_paths(paths: Iterable[str]) -> int:
    """Delete every cached variant of these paths (raises if Redis is unreachable)."""
    return sum(
        cache.client.delete_pattern(caching.path_key_pattern(caching.request_path(path)))
        for path in paths
    )


def purge_frontend_cache(paths: Iterable[str], root_url: str) -> None:
    """Purge the paths from every CDN configured in WAGTAILFRONTENDCACHE."""
    backends = get_backends()
    if not backends or not root_url:
        return
    urls = [root_url.rstrip("/") + path for path in paths]
    by_host = defaultdict(list)
    for url in urls:
        by_host[urlsplit(url).netloc].append(url)
    for host, host_urls in by_host.items():
        for backend in backends.values():
            if backend.invalidates_hostname(host):
                backend.purge_batch(host_urls)


class HTTPPurgeBackend(HTTPBackend):
    """Wagtail's HTTP PURGE backend (Varnish, nginx), with a timeout and failures raised so
    the purge task retries; Wagtail's own backend logs the failure and gives up."""

    timeout = 5

    def purge(self, url: str) -> None:
        parts = urlsplit(url)
        host = parts.hostname + (f":{parts.port}" if parts.port else "")
        request = PurgeRequest(
            url=urlunsplit(
                [self.cache_scheme, self.cache_netloc, parts.path, parts.query, parts.fragment]
            ),
            headers={"Host": host, "User-Agent": "Masthead-frontendcache"},
        )
        try:
            urlopen(request, timeout=self.timeout)  # noqa: S310 - LOCATION comes from settings
        except (HTTPError, URLError, OSError) as error:
            logger.warning("CDN purge of %s failed (the task retries): %s", url, error)
            raise PurgeFailed(f"Could not purge {url}: {error}") from error
