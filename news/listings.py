"""What every listing of stories shares: its page size, its pagination and its `?tag=` and
`?author=` filters. The page classes say what they list; this says how it is cut into pages."""

import re
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from delivery.listing_counts import ListingPaginator

ARTICLES_PER_PAGE = 12

SLUG_RE = re.compile(r"[-\w]{1,100}")
PAGE_NUMBER_RE = re.compile(r"[0-9]{1,6}")


def paginate(
    request, queryset, per_page: int = ARTICLES_PER_PAGE, *, listing: str | None = None
) -> PaginatorPage:
    """The requested page of a listing; junk or out-of-range page numbers are a 404.

    A `listing` name (unique to what the queryset selects) keeps its total in the cache.
    """
    raw = request.GET.get("page", "1")
    if not PAGE_NUMBER_RE.fullmatch(raw):
        raise Http404("No such page.")
    if listing is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = ListingPaginator(queryset, per_page, listing=listing)
    number = int(raw)
    if number < 1 or number > max(paginator.num_pages, 1):
        raise Http404("No such page.")
    return paginator.page(number)


class ListingFilters:
    """The `?tag=` and `?author=` filters of a news listing, checked before they reach the ORM.

    A malformed slug is a 400; a well-formed slug that names nothing is a 404.
    """

    def __init__(self, *, tag=None, author=None):
        self.tag = tag
        self.author = author

    @classmethod
    def from_request(cls, request, *, find_tag, authors: QuerySet) -> "ListingFilters":
        """`find_tag` turns a slug into the tag readers may filter by (or raises a 404);
        `authors` are the profiles readers may filter by."""
        tag_slug = request.GET.get("tag", "")
        author_slug = request.GET.get("author", "")
        for value in (tag_slug, author_slug):
            if value and not SLUG_RE.fullmatch(value):
                raise BadRequest("Filters take a slug: letters, digits, hyphens or underscores.")
        tag = find_tag(tag_slug) if tag_slug else None
        author = get_object_or_404(authors, slug=author_slug) if author_slug else None
        return cls(tag=tag, author=author)

    @property
    def is_filtered(self) -> bool:
        return bool(self.tag or self.author)

    def apply(self, articles):
        if self.tag:
            articles = articles.tagged(self.tag)
        if self.author:
            articles = articles.by_author(self.author)
        return articles

    @property
    def listing_key(self) -> str:
        """What the filters select, for naming the listing's cached count."""
        tag = self.tag.pk if self.tag else ""
        author = self.author.pk if self.author else ""
        return f"tag={tag}:author={author}"

    @property
    def query_string(self) -> str:
        """The filters as a query string to carry across pagination links (may be empty)."""
        params = {}
        if self.tag:
            params["tag"] = self.tag.slug
        if self.author:
            params["author"] = self.author.slug
        return urlencode(params)
