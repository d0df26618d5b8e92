"""What a reader's search finds: parsing, filtering, ranking and the no-results suggestions.

The index, the tsquery and the rank are Wagtail's database backend (PostgreSQL full text,
English configuration, boosts from `ArticlePage.search_fields`); this module decides *what*
is searched — only what readers may see — turns a typed query into the backend's query
objects, and runs the ranking on the index table itself (see `matching_entries`).
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import (
    BigIntegerField,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Cast
from django.utils.functional import cached_property

from taggit.models import Tag
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry
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
COUNT_CAP = 1000

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


NO_FILTERS = ArticleFilters()


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


def _index_keys(articles: QuerySet) -> QuerySet:
    """Article ids as the index stores them (text; the cast is the expression of index
    search_articlepage_object_id)."""
    return articles.annotate(object_key=Cast("pk", CharField(max_length=50))).values("object_key")


def visible_entries(filters: ArticleFilters = NO_FILTERS, *, now=None) -> QuerySet[IndexEntry]:
    """Index entries of the articles readers may see, narrowed by `filters`.

    Nearly every article is visible, so visibility is the exclusion of the few that are not
    (`hidden()`, from a partial index): a hash anti-join under the sort, which keeps only the
    best rows as it ranks. Written as a semi-join with the 100,000 published articles, it was
    planned above the sort, which then had to rank every match of a common word in full
    (470 ms at 100,000 articles, spilling to disk). NOT EXISTS rather than NOT IN, whose
    hashed form PostgreSQL gives up once the hidden set outgrows work_mem. A reader's filters
    (a tag, an author, dates) narrow the set, so they stay semi-joins.
    """
    hidden = _index_keys(ArticlePage.objects.hidden(now=now)).filter(
        object_key=OuterRef("object_id")
    )
    entries = IndexEntry.objects.filter(
        ~Exists(hidden), content_type=ContentType.objects.get_for_model(ArticlePage)
    )
    if filters != NO_FILTERS:
        entries = entries.filter(object_id__in=_index_keys(filtered_articles(filters, now=now)))
    return entries.annotate(article_id=Cast("object_id", BigIntegerField()))


def matching_entries(query: CleanQuery, entries: QuerySet[IndexEntry]) -> QuerySet[IndexEntry]:
    """Those of `entries` that match `query`, each annotated with Wagtail's rank.

    Wagtail's backend starts from the page model and joins every article to its entry,
    ranking the whole match set after the join; here the index table is the driving table
    and visibility is a filter on it (`visible_entries`), so the ordering and LIMIT happen
    on narrow rows. The tsquery and the rank (`ts_rank(title)·title_norm + ts_rank(body)`,
    with the project's field weights) are built by Wagtail's own query compiler, so both
    match its `.search()` exactly.

    A match is `title || body @@ query`, written as `title @@ query OR body @@ query`, plus
    `OR title || body @@ query` when the query has more than one word (one may be in the
    headline, another in the body): the same rows, since a match in either part is a match
    in the whole, but a scan stops at the first part that matches instead of building the
    concatenated vector for every row (half the time at 100,000 articles), and a rare word
    is a bitmap OR of the GIN indexes (Wagtail's on each part, ours on both, migration 0002).
    """
    backend = get_search_backend()
    compiler = backend.query_compiler_class(ArticlePage.objects.none(), parse(query))
    config = compiler.get_config(backend)
    tsquery = compiler.build_tsquery(compiler.query, config=config)
    rank = compiler.build_tsrank(F("title"), compiler.query, config=config) * F(
        "title_norm"
    ) + compiler.build_tsrank(F("body"), compiler.query, config=config)
    match = Q(title=tsquery) | Q(body=tsquery)
    if len(query.words) > 1:
        entries = entries.annotate(document=F("title")._combine(F("body"), "||", False))
        match |= Q(document=tsquery)
    return entries.filter(match).annotate(rank=rank)


def completing_entries(query: CleanQuery, entries: QuerySet[IndexEntry]) -> QuerySet[IndexEntry]:
    """Like `matching_entries`, for headlines that complete the words typed so far (the last
    one a prefix), on the index's `autocomplete` vector and its GIN index."""
    backend = get_search_backend()
    compiler = backend.autocomplete_query_compiler_class(ArticlePage.objects.none(), parse(query))
    config = compiler.get_config(backend)
    tsquery = compiler.build_tsquery(compiler.query, config=config)
    return entries.filter(autocomplete=tsquery).annotate(
        rank=compiler.build_tsrank(F("autocomplete"), compiler.query, config=config)
    )


def ranked_articles(entries: QuerySet[IndexEntry], articles: QuerySet, key: slice) -> list:
    """The `articles` of a slice of ranked `entries`, in rank order, in two queries."""
    ids = list(entries[key].values_list("article_id", flat=True))
    by_id = articles.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


class ArticleSearchResults:
    """Ranked articles for `Paginator`: sliced on the index table, with only the articles
    of the slice loaded from the page tables; the count stops at `COUNT_CAP` matches
    (a reader never pages through 50 pages of results, and counting every match of a
    common word costs more than finding the 20 best)."""

    def __init__(self, entries: QuerySet[IndexEntry], articles: QuerySet):
        self._entries = entries
        self._articles = articles

    @cached_property
    def _capped_count(self) -> int:
        return self._entries.order_by()[: COUNT_CAP + 1].count()

    def count(self) -> int:
        return min(self._capped_count, COUNT_CAP)

    @property
    def more_than_counted(self) -> bool:
        """Whether there are more matches than `count()` says ("1,000+ results")."""
        return self._capped_count > COUNT_CAP

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list:
        return ranked_articles(self._entries, self._articles, key)


def search_articles(
    query: CleanQuery, filters: ArticleFilters, *, sort: str = RELEVANCE
) -> ArticleSearchResults:
    """The reader's search results, best first (or newest first), sliceable and countable."""
    articles = filtered_articles(filters)
    if parse(query) is MATCH_NONE:  # only operators or punctuation: nothing to look for
        return ArticleSearchResults(visible_entries(filters).none(), articles)
    entries = matching_entries(query, visible_entries(filters))
    if sort == NEWEST:
        published_at = ArticlePage.objects.filter(pk=OuterRef("article_id")).values(
            "first_published_at"
        )
        entries = entries.annotate(published_at=Subquery(published_at)).order_by(
            F("published_at").desc(nulls_last=True), "-article_id"
        )
    else:
        entries = entries.order_by("-rank", "-article_id")
    return ArticleSearchResults(entries, articles.for_listing())


def tags_in_use(*, now=None) -> QuerySet:
    """Tags carried by at least one published article (others could name unpublished news)."""
    published = ArticlePage.objects.published(now=now)
    return Tag.objects.filter(
        Exists(
            ArticleTag.objects.filter(tag=OuterRef("pk"), content_object__in=published.values("pk"))
        )
    )


def public_profiles() -> QuerySet:
    # The content type narrows the page table to the few profiles by index first; without it
    # the planner walks every page (160 ms at 100,000 articles) to match a title pattern.
    return StaffProfilePage.objects.exact_type(StaffProfilePage).live().public()


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
