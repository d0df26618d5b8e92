"""How many articles a listing has ("page 3 of 812"), from the shared cache.

Counting a section's published articles is a `COUNT(*)` over every one of them (≈ 130 ms at
100,000 articles), run by each uncached render of any of its pages. The count is kept in the
cache under the listing's name and the current *generation*; anything that can change which
articles are published and public (a publish, unpublish, expiry or deletion, a move, a view
restriction) starts a new generation once its transaction commits, so the next render counts
afresh and every listing shows the new numbers at once. Counts also expire after the page
cache's lifetime. With the cache down, every render counts, as before.
"""

from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import QuerySet
from django.utils.functional import cached_property

from news import caching

GENERATION_KEY = "listing-counts:generation"


def generation() -> str:
    return caching.generation(GENERATION_KEY)


def cached_count(queryset, *, listing: str) -> int:
    key = f"listing-counts:{generation()}:{listing}"
    count = cache.get(key)
    if count is None:
        count = queryset.count()
        cache.set(key, count, timeout=settings.PAGE_CACHE_SECONDS)
    return count


def start_new_generation() -> None:
    """Forget every listing's count once the current transaction commits."""
    transaction.on_commit(partial(caching.start_generation, GENERATION_KEY), robust=True)


class ListingPaginator(Paginator):
    """A paginator whose total comes from `cached_count` under the listing's name."""

    def __init__(self, object_list, per_page, *, listing: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.listing = listing

    @cached_property
    def count(self) -> int:
        return cached_count(self.object_list, listing=self.listing)

    def _get_page(self, object_list, *args, **kwargs):
        """A later page picks its rows' ids first, then reads only those rows: PostgreSQL
        computes every selected column (a card's author names among them) of each row an
        OFFSET skips, and page 50 skips 980."""
        if isinstance(object_list, QuerySet) and object_list.query.low_mark:
            object_list = self.object_list.filter(pk__in=object_list.values("pk"))
        return super()._get_page(object_list, *args, **kwargs)
