"""The header's sections, from the page tree, through the shared cache.

The header lists the pages editors marked "Show in menus" (Wagtail's `show_in_menus`, on the
Promote tab) one and two levels below a site's home page, in tree order: reordering sections
in the page explorer reorders the header. Every page shows the header, and it changes a few
times a year, so all menu pages of every site are kept in one cache entry as plain values and
each request picks its site's and drops those in restricted sections (from the cached
restriction list, so a section made private leaves the header without a menu change).

The entry is dropped when a page that is, or was, in the menu is saved, deleted, published or
unpublished, when any page moves (a reorder is a move) and when a site changes, at once and
again after commit, and lives at most `LIFETIME` seconds anyway. Cached pages show the header
too: when the menu a change leaves differs from the one before it, every page is purged from
our page cache in the background (`news.purge_every_page`); a CDN's copies age out within the
page cache's lifetime.
"""

from dataclasses import dataclass
from typing import Literal

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest

from wagtail.models import Page

from news import sites, view_restrictions

CACHE_KEY = "header-menu"
LIFETIME = 300
# Menu pages sit one or two levels below a home page (the sections, and the sections of "All
# news"); a home page sits at depth 2 (sites.SITE_ROOT_MAX_DEPTH).
MENU_DEPTHS = (sites.SITE_ROOT_MAX_DEPTH + 1, sites.SITE_ROOT_MAX_DEPTH + 2)
HOME_PATH_LENGTH = Page.steplen * sites.SITE_ROOT_MAX_DEPTH


@dataclass(frozen=True)
class MenuEntry:
    """A page in the header, as plain values (cheap to cache and to compare)."""

    page_id: int
    title: str
    url_path: str
    tree_path: str


@dataclass(frozen=True)
class MenuLink:
    title: str
    url: str
    current: Literal["page", "true", ""]  # the value of aria-current, or none


def _load_entries() -> tuple[MenuEntry, ...]:
    """The menu pages, and the pages sites start at (which tell a request with no site loaded
    yet where its menu starts, when there is only one), in one query."""
    rows = (
        Page.objects.live()
        .filter(
            Q(depth__in=MENU_DEPTHS, show_in_menus=True)
            | Q(depth=sites.SITE_ROOT_MAX_DEPTH, sites_rooted_here__isnull=False)
        )
        .distinct()
        .order_by("path")
        .values_list("pk", "title", "url_path", "path")
    )
    return tuple(MenuEntry(*row) for row in rows)


def _home_of(request: HttpRequest, entries: tuple[MenuEntry, ...]) -> MenuEntry | Page | None:
    """The home page whose menu this request shows: the site Wagtail's page view already
    found; else the one site root there is (a newsroom runs one site: no site lookup on
    search or a 404); else the request's site from the site cache."""
    site = getattr(request, "_wagtail_site", None)
    if site is not None:
        return site.root_page
    homes = [entry for entry in entries if len(entry.tree_path) == HOME_PATH_LENGTH]
    if len(homes) == 1:
        return homes[0]
    site = sites.site_for_request(request)
    return site.root_page if site is not None else None


def menu_entries() -> tuple[MenuEntry, ...]:
    """Every site's menu pages (and home pages) in tree order: from the cache, else one
    query."""
    entries = cache.get(CACHE_KEY)
    if entries is None:
        entries = _load_entries()
        cache.set(CACHE_KEY, entries, timeout=LIFETIME)
    return entries


def header_links(request: HttpRequest, current: Page | None = None) -> list[MenuLink]:
    """The links of this request's header, the one holding `current` marked: "page" when it
    is the page shown, "true" when the page shown is inside it (the deepest such section)."""
    if request is None:
        return []
    cached = menu_entries()
    home = _home_of(request, cached)
    if home is None:
        return []
    home_path = getattr(home, "tree_path", None) or home.path
    restricted = view_restrictions.restricted_paths()
    entries = [
        entry
        for entry in cached
        if entry.tree_path.startswith(home_path)
        and len(entry.tree_path) > HOME_PATH_LENGTH
        and not entry.tree_path.startswith(restricted)
    ]
    holder = None
    if current is not None and getattr(current, "path", None):
        holding = [entry for entry in entries if current.path.startswith(entry.tree_path)]
        holder = max(holding, key=lambda entry: len(entry.tree_path), default=None)
    return [
        MenuLink(
            title=entry.title,
            url=entry.url_path[len(home.url_path) - 1 :],
            current=(
                ("page" if entry.page_id == current.pk else "true") if entry is holder else ""
            ),
        )
        for entry in entries
    ]


def may_change_menu(page: Page) -> bool:
    """Whether a change to this page can change a header: it is a menu page, or was one."""
    if page.depth == sites.SITE_ROOT_MAX_DEPTH:
        return True  # a home page: its menu's addresses start with its slug
    if page.depth not in MENU_DEPTHS:
        return False
    if page.show_in_menus:
        return True
    cached = cache.get(CACHE_KEY) or ()
    return any(entry.page_id == page.pk for entry in cached)


def forget_menu() -> None:
    """Drop the cached menu at once and after commit; then, if the menu the change leaves is
    not the one cached before it, purge every cached page (they all show the header)."""
    before = cache.get(CACHE_KEY)
    cache.delete(CACHE_KEY)

    def after_commit() -> None:
        cache.delete(CACHE_KEY)
        if before is not None and menu_entries() != before:
            from news.purging import purge_every_page

            purge_every_page()

    transaction.on_commit(after_commit, robust=True)
