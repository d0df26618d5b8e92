"""Wagtail's view restrictions (password, login, groups), answered from the shared cache.

Wagtail checks them with two queries on every page it serves (the page's ancestors, then their
restrictions) and `PageQuerySet.public()` loads every restriction on every listing. A newsroom
has few restricted sections and many reads, so the tree paths that may be restricted are kept in
the cache: a page outside all of them has no restriction, and a page inside one is checked by
Wagtail as usual.

Aliases are counted as "may be restricted" because Wagtail checks an alias's source page, which
can sit anywhere in the tree. The cached list is dropped whenever a restriction is saved or
deleted, a page is moved or an alias is saved (immediately and again after commit, so a reader
cannot cache the old answer in between; the list is kept under a generation that each change
replaces, so a reader that loaded the old rows just before the commit cannot store them where
later readers look), and lives at most `LIFETIME` seconds in any case: if Redis missed a change,
a newly restricted section is protected again within that time.

A request asks several times (Wagtail's check on the page, the "All news" link, each listing of
published articles), so the list read first is kept for the rest of that request, and only
inside a request: a worker process or shell has no request to bound it.
"""

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models import F, Q, Value
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction

from asgiref.local import Local

from news import caching

CACHE_KEY = "view-restrictions:paths"
GENERATION_KEY = "view-restrictions:generation"
LIFETIME = 60

# `memo` holds this request's list: a dict between request_started and request_finished only.
_this_request = Local()


@receiver(request_started, dispatch_uid="view_restrictions_request_started")
def _start_request_memo(**kwargs) -> None:
    _this_request.memo = {}


@receiver(request_finished, dispatch_uid="view_restrictions_request_finished")
def _end_request_memo(**kwargs) -> None:
    _this_request.memo = None


def _generation() -> str:
    return caching.generation(GENERATION_KEY)


def _paths() -> dict[str, tuple[str, ...]]:
    """Tree paths of the restricted pages and of every alias: this request's, else the
    cache's, else one query.

    Stored under the current generation: a reader that loaded the old rows just before a
    change commits writes them under a generation nobody reads any more.
    """
    memo = getattr(_this_request, "memo", None)
    if memo is None:
        return _cached_paths()
    if "paths" not in memo:
        memo["paths"] = _cached_paths()
    return memo["paths"]


def _cached_paths() -> dict[str, tuple[str, ...]]:
    key = f"{CACHE_KEY}:{_generation()}"
    paths = cache.get(key)
    if paths is None:
        restricted = PageViewRestriction.objects.annotate(
            tree_path=F("page__path"), is_alias=Value(False)
        ).values_list("tree_path", "is_alias")
        aliases = (
            Page.objects.filter(alias_of__isnull=False)
            .annotate(tree_path=F("path"), is_alias=Value(True))
            .values_list("tree_path", "is_alias")
        )
        rows = set(restricted.union(aliases))
        paths = {
            "restricted": tuple(sorted(path for path, is_alias in rows if not is_alias)),
            "aliases": tuple(sorted(path for path, is_alias in rows if is_alias)),
        }
        cache.set(key, paths, timeout=LIFETIME)
    return paths


def restricted_paths() -> tuple[str, ...]:
    return _paths()["restricted"]


def may_be_restricted(page: Page) -> bool:
    """False when no restriction can apply to `page`: Wagtail need not look."""
    paths = _paths()
    return any(page.path.startswith(path) for path in paths["restricted"] + paths["aliases"])


def restricted_q() -> Q:
    """Pages in a restricted section: `PageQuerySet.private_q()` without its query."""
    q = Q()
    for path in restricted_paths():
        q |= Q(path__startswith=path)
    return q if q else Q(pk__in=[])


def forget_guarded_paths() -> None:
    _start_generation()
    transaction.on_commit(_start_generation)


def _start_generation() -> None:
    memo = getattr(_this_request, "memo", None)
    if memo:
        memo.pop("paths", None)
    caching.start_generation(GENERATION_KEY)


class CachedViewRestrictionsMixin:
    """For page classes: skip Wagtail's restriction queries when none can apply."""

    def get_view_restrictions(self):
        if not may_be_restricted(self):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()
