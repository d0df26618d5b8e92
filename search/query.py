"""What a reader's search finds: parsing, filtering, ranking and the no-results suggestions.

The ranking itself is Wagtail's database backend (PostgreSQL full text, English configuration,
boosts from `ArticlePage.search_fields`); this module decides *what* is searched — only
what readers may see — and turns a typed query into the backend's query objects.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Exists, OuterRef, QuerySet

from taggit.models import Tag
from wagtail.search.query import MATCH_NONE, And, Phrase, PlainText, SearchQuery
from wagtail.search.utils import normalise_query_string

from news.models import ArticlePage, StaffProfilePage
from news.models.pages import ArticleByline, ArticleTag

MAX_QUERY_LENGTH = 200
# Control characters (NUL included, which PostgreSQL refuses in text) never reach a query.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# to_tsquery operators: the backend quotes each word, but a word made only of these means
# nothing, so they are spaces to the parser (phrases go through phraseto_tsquery as text).
_OPERATORS = re.compile(r"[&|!:*()<>\\']+")
_TERM = re.compile(r"\w+", re.UNICODE)
SUGGESTION_SIMILARITY = 0.3

RELEVANCE = "relevance"
NEWEST = "newest"
SORTS = {RELEVANCE: "Relevance", NEWEST: "Newest first"}


@dataclass(frozen=True)
class CleanQuery:
    """A reader's query, made safe: what is searched, and whether it was cut short."""

    text: str
    truncated: bool

    @property
    def words(self) -> list[str]:
        """The words in the order typed (quotes and punctuation dropped)."""
        return _TERM.findall(self.text)

    @property
    def terms(self) -> list[str]:
        """The words to highlight, lower-cased, longest first."""
        words = {word.lower() for word in _TERM.findall(self.text)}
        return sorted(words, key=len, reverse=True)

    @property
    def normalised(self) -> str:
        """The form Wagtail's query log and search promotions key on."""
        return normalise_query_string(self.text)


def clean_query(raw: str, *, max_length: int = MAX_QUERY_LENGTH) -> CleanQuery:
    text = " ".join(_CONTROL.sub(" ", raw).split())
    return CleanQuery(text=text[:max_length].strip(), truncated=len(text) > max_length)


def parse(query: CleanQuery) -> SearchQuery:
    """Every word is required; "double-quoted" parts are phrases."""
    tokens = []
    for position, part in enumerate(query.text.split('"')):
        part = part.strip()
        if not _TERM.search(part):
            continue
        if position % 2:
            tokens.append(Phrase(part))
        else:
            words = [word for word in _OPERATORS.sub(" ", part).split() if _TERM.search(word)]
            if words:
                tokens.append(PlainText(" ".join(words), operator="and"))
    return And(tokens) if tokens else MATCH_NONE


@dataclass(frozen=True)
class ArticleFilters:
    tag: Tag | None = None
    author: StaffProfilePage | None = None
    published_from: dt.date | None = None
    published_to: dt.date | None = None


def filtered_articles(filters: ArticleFilters, *, now=None) -> QuerySet:
    """Published articles narrowed by the reader's filters.

    Filters are written as `id IN (…)` so that Wagtail's search accepts them (it only allows
    lookups on declared `FilterField`s) and PostgreSQL can plan them as semi-joins.
    """
    articles = ArticlePage.objects.published(now=now)
    if filters.tag:
        articles = articles.filter(
            id__in=ArticleTag.objects.filter(tag=filters.tag).values("content_object_id")
        )
    if filters.author:
        articles = articles.filter(
            id__in=ArticleByline.objects.filter(profile=filters.author).values("page_id")
        )
    if filters.published_from:
        articles = articles.filter(first_published_at__gte=_start_of(filters.published_from))
    if filters.published_to:
        articles = articles.filter(
            first_published_at__lt=_start_of(filters.published_to + dt.timedelta(days=1))
        )
    return articles


def _start_of(day: dt.date) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def search_articles(query: CleanQuery, filters: ArticleFilters, *, sort: str = RELEVANCE):
    """Wagtail search results (sliceable, countable) for the reader's query."""
    articles = filtered_articles(filters).for_listing()
    if sort == NEWEST:
        return articles.order_by("-first_published_at").search(
            parse(query), order_by_relevance=False
        )
    return articles.search(parse(query))


def tags_in_use(*, now=None) -> QuerySet:
    """Tags carried by at least one published article (others could name unpublished news)."""
    published = ArticlePage.objects.published(now=now)
    return Tag.objects.filter(
        Exists(
            ArticleTag.objects.filter(tag=OuterRef("pk"), content_object__in=published.values("pk"))
        )
    )


def public_profiles() -> QuerySet:
    return StaffProfilePage.objects.live().public()


@dataclass(frozen=True)
class Suggestion:
    text: str
    kind: str


def suggestions(query: CleanQuery, *, limit: int = 3) -> list[Suggestion]:
    """Closest tags and headlines by trigram similarity, for a search that found nothing."""
    if not query.text:
        return []
    tags = (
        tags_in_use()
        .annotate(similarity=TrigramSimilarity("name", query.text))
        .filter(similarity__gte=SUGGESTION_SIMILARITY)
        .order_by("-similarity", "name")
        .values_list("name", flat=True)[:limit]
    )
    headlines = (
        ArticlePage.objects.published()
        .filter(title__trigram_word_similar=query.text)
        .annotate(similarity=TrigramWordSimilarity(query.text, "title"))
        .order_by("-similarity", "-first_published_at")
        .values_list("title", flat=True)[:limit]
    )
    return [Suggestion(name, "tag") for name in tags] + [
        Suggestion(title, "headline") for title in headlines
    ]


def resolve_filters(values: dict) -> ArticleFilters:
    """Turn validated form values (slugs, dates) into filter objects."""
    tag = tags_in_use().filter(slug=values["tag"]).first() if values.get("tag") else None
    author = (
        public_profiles().filter(slug=values["author"]).first() if values.get("author") else None
    )
    return ArticleFilters(
        tag=tag,
        author=author,
        published_from=values.get("published_from"),
        published_to=values.get("published_to"),
    )
