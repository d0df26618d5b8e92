"""Which stories to suggest under an article ("Continue reading"), computed ahead of time.

For an article X, the list is: X's editors' pins (while published), then the best-scored
candidates, then a deterministic fallback (latest in X's tags, then in its section) if fewer than
`RELATED_COUNT` candidates are relevant. Only what readers may see
(`ArticlePage.objects.published()`) is ever suggested, never X itself nor anything X's editors
excluded. Lists are replaced atomically under a per-article advisory lock, so recomputing one
twice at once is harmless.

Text similarity runs on PostgreSQL full text: each published article has a weighted tsvector
(`ArticleTerms`: headline A, dek B, body D) and we keep each lexeme's document frequency
(`RelatedLexeme`). X's most distinctive lexemes (tf·idf, headline and dek words counting more)
become one OR query against the GIN index, restricted to the `WINDOW` articles published nearest
to X in time, so the work per article is bounded however large the archive grows.
"""

import math
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from wagtail.models import Page

from news.models import ArticlePage
from news.models.related import (
    ArticleTerms,
    RelatedArticle,
    RelatedExclusion,
    RelatedPin,
)

RELATED_COUNT = 6
"""How many suggestions each article stores and shows."""

DISTINCTIVE_LEXEMES = 16
TEXT_CANDIDATES = 60
TAG_CANDIDATES = 40
AUTHOR_CANDIDATES = 20
NEIGHBOURS = 20
WINDOW = 2000
"""Candidates come from the `WINDOW` articles published before X and the `WINDOW` after it: a
bound on the work per article (so a full recompute grows linearly with the archive), and for
"Continue reading" the stories of the same period are the ones worth suggesting anyway."""

COMMON_SHARE = 0.2
COMMON_FLOOR = 10
"""Lexemes in more than a fifth of the articles (and more than 10) are not distinctive at all:
left out of the query, they would make it match most of the archive."""

MIN_TEXT = 0.08
"""Below this share of X's distinctive vocabulary, text alone does not make a story related."""

RECENCY_DAYS = 30.0

_LOCK_NAMESPACE = 0x52454C  # "REL": per-article advisory locks are (namespace, article id)
_LEXEME_LOCK = (0x52454D, 0)  # serialises document-frequency updates


@dataclass(frozen=True)
class Weights:
    """How much each signal contributes to a candidate's score (each signal lies in [0, 1]).

    - text (0.60): the share of X's distinctive vocabulary (idf-weighted lexemes of headline,
      dek and body) the candidate contains. It carries most weight because it is the only
      signal every story has and the one that tracks the topic, even when tags are sparse.
    - tags (0.20): the share of X's tags the candidate also has. Editors' tags are precise but
      often missing, so they add to the text rather than replace it.
    - authors (0.05) and section (0.05): a shared byline or the same news section hints at the
      same beat, weakly: reporters and sections cover many topics.
    - recency (0.10): exp(-|days apart| / 30), so among equally similar stories the ones from
      the same period (follow-ups, the same news cycle) come first. Relative to X's own date,
      not to today, so a stored list does not go stale.
    """

    text: float = 0.60
    tags: float = 0.20
    authors: float = 0.05
    section: float = 0.05
    recency: float = 0.10


WEIGHTS = Weights()


@dataclass(frozen=True)
class Suggestion:
    related_id: int
    score: float
    reason: str


@dataclass(frozen=True)
class Candidate:
    article_id: int
    text: float
    tags: float
    authors: float
    section: float
    recency: float

    @property
    def score(self) -> float:
        return (
            WEIGHTS.text * self.text
            + WEIGHTS.tags * self.tags
            + WEIGHTS.authors * self.authors
            + WEIGHTS.section * self.section
            + WEIGHTS.recency * self.recency
        )

    @property
    def relevant(self) -> bool:
        return self.text >= MIN_TEXT or self.tags > 0 or self.authors > 0


# --- The text index -------------------------------------------------------------------------


def lock_article(*, article_id: int) -> None:
    """Hold the article's list until the transaction ends (others recomputing it wait)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, article_id])


def _lock_lexemes(cursor) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", list(_LEXEME_LOCK))


def _forget_lexemes(cursor, *, article_id: int) -> None:
    cursor.execute(
        """
        UPDATE news_relatedlexeme SET documents = documents - 1
        WHERE lexeme = ANY(tsvector_to_array(
            (SELECT vector FROM news_articleterms WHERE article_id = %s)))
        """,
        [article_id],
    )


def store_terms(*, article_id: int, title: str, dek: str, body: str, published_at) -> None:
    """Index one published article's text and count its lexemes; replaces what was there."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock_lexemes(cursor)
        _forget_lexemes(cursor, article_id=article_id)
        cursor.execute(
            """
            INSERT INTO news_articleterms (article_id, published_at, vector)
            VALUES (%(id)s, %(published_at)s,
                    setweight(to_tsvector('english', %(title)s), 'A')
                    || setweight(to_tsvector('english', %(dek)s), 'B')
                    || setweight(to_tsvector('english', %(body)s), 'D'))
            ON CONFLICT (article_id) DO UPDATE
            SET published_at = EXCLUDED.published_at, vector = EXCLUDED.vector
            """,
            {"id": article_id, "published_at": published_at, "title": title, "dek": dek,
             "body": body[:200_000]},
        )  # fmt: skip
        cursor.execute(
            """
            INSERT INTO news_relatedlexeme (lexeme, documents)
            SELECT unnest(tsvector_to_array(vector)), 1
            FROM news_articleterms WHERE article_id = %s
            ON CONFLICT (lexeme) DO UPDATE SET documents = news_relatedlexeme.documents + 1
            """,
            [article_id],
        )


def index_article(*, article: ArticlePage) -> None:
    store_terms(
        article_id=article.pk,
        title=article.title,
        dek=article.dek,
        body=article.body_text(),
        published_at=article.first_published_at or timezone.now(),
    )


def rebuild_lexeme_counts() -> None:
    """Recount every lexeme's document frequency from the index (repairs any drift).

    One pass over the whole index (ts_stat): tens of seconds at 100,000 articles, longer than
    the app's statement timeout, so this transaction gets its own.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '30min'")
        _lock_lexemes(cursor)
        cursor.execute("DELETE FROM news_relatedlexeme")
        cursor.execute(
            """
            INSERT INTO news_relatedlexeme (lexeme, documents)
            SELECT word, ndoc FROM ts_stat('SELECT vector FROM news_articleterms')
            """
        )


def withdraw_article(*, article_id: int) -> list[int]:
    """Take an article out of the index and out of every list at once.

    Returns the articles whose lists lost it, to be refilled.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        _lock_lexemes(cursor)
        _forget_lexemes(cursor, article_id=article_id)
        ArticleTerms.objects.filter(article_id=article_id).delete()
        affected = sorted(
            RelatedArticle.objects.filter(related_id=article_id).values_list(
                "article_id", flat=True
            )
        )
        RelatedArticle.objects.filter(Q(related_id=article_id) | Q(article_id=article_id)).delete()
    return affected


def withdraw_section(*, page_id: int) -> list[int]:
    """Withdraw every article at or under a page (it just became private); lists to refill."""
    affected: set[int] = set()
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return []
    for article_id in ArticlePage.objects.descendant_of(page, inclusive=True).values_list(
        "pk", flat=True
    ):
        affected.update(withdraw_article(article_id=article_id))
    return sorted(affected)


def published_under(*, page_id: int) -> list[int]:
    """The published articles at or under a page (its restriction was lifted)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return []
    return list(
        ArticlePage.objects.published()
        .descendant_of(page, inclusive=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Scoring --------------------------------------------------------------------------------


def distinctive_lexemes(*, article_id: int, limit: int = DISTINCTIVE_LEXEMES):
    """X's top lexemes by tf·idf (log-scaled, position-weighted counts times log(1 + N / df)).

    Returns (the lexemes other articles also use, as (lexeme, weight) pairs; the total weight
    of X's top `limit` lexemes including those only X uses), so that a candidate's text score is
    the share of X's whole distinctive vocabulary it contains.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH mine AS (
                SELECT u.lexeme,
                       sum(CASE w WHEN 'A' THEN 3.0 WHEN 'B' THEN 2.0 ELSE 1.0 END) AS tf
                FROM news_articleterms t
                CROSS JOIN LATERAL unnest(t.vector) AS u(lexeme, positions, weights)
                CROSS JOIN LATERAL unnest(u.weights) AS w
                WHERE t.article_id = %(id)s
                GROUP BY u.lexeme
            ), total AS (
                -- The planner's row estimate once the index is large (counting would cost
                -- time proportional to the archive), an exact count while it is small.
                SELECT greatest(CASE WHEN c.reltuples >= 10000 THEN c.reltuples
                                     ELSE (SELECT count(*) FROM news_articleterms) END,
                                2)::float8 AS n
                FROM pg_class c WHERE c.oid = 'news_articleterms'::regclass
            )
            SELECT m.lexeme, ln(1 + m.tf) * ln(1 + total.n / greatest(s.documents, 1)) AS weight,
                   s.documents
            FROM mine m JOIN news_relatedlexeme s ON s.lexeme = m.lexeme, total
            WHERE s.documents <= greatest(%(floor)s, %(share)s * total.n)
            ORDER BY weight DESC, m.lexeme
            """,
            {"id": article_id, "floor": COMMON_FLOOR, "share": COMMON_SHARE},
        )
        rows = cursor.fetchall()
    total = sum(weight for _, weight, _ in rows[:limit])
    shared = [(lexeme, weight) for lexeme, weight, documents in rows if documents >= 2]
    return shared[:limit], total


def _tsquery_literal(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _window(*, published_at: datetime) -> tuple[datetime | None, datetime | None]:
    """The publication times `WINDOW` articles before and after X (None: the archive's end)."""
    earlier = (
        ArticleTerms.objects.filter(published_at__lte=published_at)
        .order_by("-published_at")
        .values_list("published_at", flat=True)[WINDOW : WINDOW + 1]
    )
    later = (
        ArticleTerms.objects.filter(published_at__gte=published_at)
        .order_by("published_at")
        .values_list("published_at", flat=True)[WINDOW : WINDOW + 1]
    )
    return (next(iter(earlier), None), next(iter(later), None))


def window_for(*, article: ArticlePage) -> tuple[datetime | None, datetime | None]:
    return _window(published_at=article.first_published_at or timezone.now())


def _in_window(queryset, window):
    lo, hi = window
    if lo is not None:
        queryset = queryset.filter(first_published_at__gte=lo)
    if hi is not None:
        queryset = queryset.filter(first_published_at__lte=hi)
    return queryset


def text_matches(*, article_id: int, window, limit: int = TEXT_CANDIDATES) -> dict[int, float]:
    """Articles sharing X's distinctive vocabulary: id → share of its weight (0..1)."""
    terms = ArticleTerms.objects.filter(article_id=article_id).only("published_at").first()
    lexemes, total = distinctive_lexemes(article_id=article_id)
    if terms is None or not lexemes or total <= 0:
        return {}
    queries = [_tsquery_literal(lexeme) for lexeme, _ in lexemes]
    lo, hi = window
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.article_id,
                   (SELECT sum(q.w) FROM unnest(%(queries)s::tsquery[], %(weights)s::float8[])
                        AS q(tq, w) WHERE t.vector @@ q.tq) AS text
            FROM news_articleterms t
            WHERE t.vector @@ %(any)s::tsquery AND t.article_id <> %(id)s
              AND t.published_at >= coalesce(%(lo)s, '-infinity'::timestamptz)
              AND t.published_at <= coalesce(%(hi)s, 'infinity'::timestamptz)
            ORDER BY text DESC, t.published_at DESC, t.article_id DESC
            LIMIT %(limit)s
            """,
            {
                "queries": queries,
                "weights": [float(weight) for _, weight in lexemes],
                "any": " | ".join(queries),
                "id": article_id,
                "lo": lo,
                "hi": hi,
                "limit": limit,
            },
        )
        return {pk: float(text) / total for pk, text in cursor.fetchall()}


def _newest_ids(queryset, *, limit: int) -> list[int]:
    rows = queryset.order_by("-first_published_at", "-pk").values_list("pk", "first_published_at")
    return [pk for pk, _ in rows.distinct()[:limit]]


def score_candidates(*, article: ArticlePage, excluded: set[int]) -> list[Candidate]:
    """Every candidate worth considering, scored, best first (ties: newer, then higher id)."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    author_ids = list(article.bylines.values_list("profile_id", flat=True))
    others = ArticlePage.objects.published().exclude(pk__in={article.pk, *excluded})
    window = window_for(article=article)
    text = text_matches(article_id=article.pk, window=window)
    ids = set(text)
    nearby = _in_window(others, window)
    if tag_ids:
        ids.update(_newest_ids(nearby.filter(tags__in=tag_ids), limit=TAG_CANDIDATES))
    if author_ids:
        ids.update(
            _newest_ids(nearby.filter(bylines__profile__in=author_ids), limit=AUTHOR_CANDIDATES)
        )
    ids -= excluded | {article.pk}
    if not ids:
        return []
    annotations = {}
    if tag_ids:
        annotations["shared_tags"] = Count(
            "tagged_items", filter=Q(tagged_items__tag_id__in=tag_ids), distinct=True
        )
    if author_ids:
        annotations["shared_authors"] = Count(
            "bylines", filter=Q(bylines__profile_id__in=author_ids), distinct=True
        )
    rows = (
        others.filter(pk__in=ids)
        .annotate(**annotations)
        .values("pk", "path", "first_published_at", *annotations)
    )
    section_path = article.path[: -Page.steplen]
    published_at = article.first_published_at or timezone.now()
    candidates = []
    for row in rows:
        days = abs((row["first_published_at"] - published_at).total_seconds()) / 86400
        candidates.append(
            Candidate(
                article_id=row["pk"],
                text=text.get(row["pk"], 0.0),
                tags=row.get("shared_tags", 0) / len(tag_ids) if tag_ids else 0.0,
                authors=1.0 if row.get("shared_authors") else 0.0,
                section=1.0 if row["path"][: -Page.steplen] == section_path else 0.0,
                recency=math.exp(-days / RECENCY_DAYS),
            )
        )
    dates = {row["pk"]: row["first_published_at"] for row in rows}
    return sorted(
        candidates, key=lambda c: (-c.score, -dates[c.article_id].timestamp(), -c.article_id)
    )


def fallback_ids(*, article: ArticlePage, excluded: set[int], limit: int) -> list[int]:
    """Latest published stories in X's tags, then in its section: no scoring, stable order."""
    others = ArticlePage.objects.published().exclude(pk__in={article.pk, *excluded})
    tag_ids = [tag.pk for tag in article.tags.all()]
    picks = _newest_ids(others.filter(tags__in=tag_ids), limit=limit) if tag_ids else []
    if len(picks) < limit:
        section = others.filter(
            path__startswith=article.path[: -Page.steplen], depth=article.depth
        ).exclude(pk__in=picks)
        picks += _newest_ids(section, limit=limit - len(picks))
    return picks


def suggestions_for(*, article: ArticlePage) -> tuple[list[Suggestion], list[Candidate]]:
    """X's list (pins, scored, fallback; at most `RELATED_COUNT`) and every scored candidate."""
    excluded = set(
        RelatedExclusion.objects.filter(page_id=article.pk).values_list("related_id", flat=True)
    )
    pin_order = list(
        RelatedPin.objects.filter(page_id=article.pk)
        .exclude(related_id__in=excluded | {article.pk})
        .order_by("sort_order", "pk")
        .values_list("related_id", flat=True)
    )
    visible = set(
        ArticlePage.objects.published().filter(pk__in=pin_order).values_list("pk", flat=True)
    )
    pins = [pk for pk in pin_order if pk in visible][:RELATED_COUNT]
    chosen = [
        Suggestion(related_id=pk, score=1.0, reason=RelatedArticle.Reason.PINNED) for pk in pins
    ]
    candidates = score_candidates(article=article, excluded=excluded | set(pins))
    for candidate in candidates:
        if len(chosen) >= RELATED_COUNT or not candidate.relevant:
            break
        chosen.append(
            Suggestion(candidate.article_id, candidate.score, RelatedArticle.Reason.SCORED)
        )
    if len(chosen) < RELATED_COUNT:
        taken = excluded | {suggestion.related_id for suggestion in chosen}
        chosen += [
            Suggestion(related_id=pk, score=0.0, reason=RelatedArticle.Reason.FALLBACK)
            for pk in fallback_ids(
                article=article, excluded=taken, limit=RELATED_COUNT - len(chosen)
            )
        ]
    return chosen, candidates


# --- Storing --------------------------------------------------------------------------------


def _lock_indexed(*, article_ids: list[int]) -> set[int]:
    """Those of `article_ids` still in the index, kept there until this transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT article_id FROM news_articleterms WHERE article_id = ANY(%s) FOR KEY SHARE",
            [article_ids],
        )
        return {pk for (pk,) in cursor.fetchall()}


def replace_related(*, article_id: int, suggestions: list[Suggestion]) -> int:
    """Swap X's stored list for `suggestions` in one transaction; returns how many were stored.

    Suggested articles are re-checked against the index under a key-share lock, so an article
    unpublished meanwhile (its index row gone) is never written back into a list.
    """
    now = timezone.now()
    with transaction.atomic():
        lock_article(article_id=article_id)
        still_indexed = _lock_indexed(
            article_ids=[suggestion.related_id for suggestion in suggestions]
        )
        indexed = ArticleTerms.objects.filter(article_id=article_id).exists()
        RelatedArticle.objects.filter(article_id=article_id).delete()
        if not indexed:
            return 0
        rows = [
            RelatedArticle(
                article_id=article_id,
                related_id=suggestion.related_id,
                rank=rank,
                score=round(suggestion.score, 6),
                reason=suggestion.reason,
                computed_at=now,
            )
            for rank, suggestion in enumerate(
                s for s in suggestions if s.related_id in still_indexed
            )
        ]
        RelatedArticle.objects.bulk_create(rows)
    return len(rows)


def recompute_list(*, article_id: int) -> tuple[list[Suggestion], list[Candidate]]:
    """Recompute and store one published article's list (an unpublished one's is emptied)."""
    article = ArticlePage.objects.published().filter(pk=article_id).first()
    if article is None:
        RelatedArticle.objects.filter(article_id=article_id).delete()
        return [], []
    suggestions, candidates = suggestions_for(article=article)
    replace_related(article_id=article_id, suggestions=suggestions)
    return suggestions, candidates


def lists_to_update(*, article: ArticlePage, candidates: list[Candidate]) -> list[int]:
    """Articles whose lists X should now join or may have left, after X was (re)published.

    X's best-scoring neighbours whose list is short or whose weakest unpinned entry scores below
    X; the lists that already show X (its text may have changed); the articles pinning X; and
    short lists nearby that X may now fill as a fallback.
    """
    article_id = article.pk
    top = {c.article_id: c.score for c in candidates[:NEIGHBOURS]}
    current = {
        row["article_id"]: row
        for row in RelatedArticle.objects.filter(article_id__in=top)
        .values("article_id")
        .annotate(
            shown=Count("pk"),
            weakest=Min("score", filter=~Q(reason=RelatedArticle.Reason.PINNED)),
        )
    }
    joining = {
        pk
        for pk, score in top.items()
        if pk not in current
        or current[pk]["shown"] < RELATED_COUNT
        or (current[pk]["weakest"] is not None and current[pk]["weakest"] < score)
    }
    showing = set(
        RelatedArticle.objects.filter(related_id=article_id).values_list("article_id", flat=True)
    )
    pinning = set(
        RelatedPin.objects.filter(related_id=article_id).values_list("page_id", flat=True)
    )
    return sorted(
        (joining | showing | pinning | short_lists_nearby(article=article)) - {article_id}
    )


def short_lists_nearby(*, article: ArticlePage) -> set[int]:
    """The newest stories in X's section and tags whose lists are short: X can fall back there."""
    nearby = _in_window(
        ArticlePage.objects.published().exclude(pk=article.pk), window_for(article=article)
    )
    tag_ids = [tag.pk for tag in article.tags.all()]
    section = nearby.filter(path__startswith=article.path[: -Page.steplen], depth=article.depth)
    ids = set(_newest_ids(section, limit=NEIGHBOURS))
    if tag_ids:
        ids.update(_newest_ids(nearby.filter(tags__in=tag_ids), limit=NEIGHBOURS))
    full = (
        RelatedArticle.objects.filter(article_id__in=ids)
        .values("article_id")
        .annotate(shown=Count("pk"))
        .filter(shown__gte=RELATED_COUNT)
        .values_list("article_id", flat=True)
    )
    return ids - set(full)


def refresh_article(*, article_id: int) -> list[int]:
    """After a publish: index X, recompute its list; returns the other lists to recompute."""
    article = ArticlePage.objects.published().filter(pk=article_id).first()
    if article is None:
        return withdraw_article(article_id=article_id)
    index_article(article=article)
    _, candidates = recompute_list(article_id=article_id)
    return lists_to_update(article=article, candidates=candidates)


# --- The nightly pass -----------------------------------------------------------------------

NIGHTLY_CLAIM_SECONDS = 20 * 3600


def claim_nightly_pass(*, day: date) -> bool:
    """True for the first caller on `day`, so two beats start one nightly pass, not two.

    A pass is idempotent, so when the cache cannot answer (down, or the claim evicted) the pass
    runs anyway: the worst case is the work done twice, never a night without it.
    """
    return cache.add(f"related:nightly:{day.isoformat()}", 1, NIGHTLY_CLAIM_SECONDS) is not False


def published_batch(*, after_id: int, batch_size: int) -> tuple[list[int], int | None]:
    """The next `batch_size` published article ids after `after_id`, and the next cursor."""
    ids = list(
        ArticlePage.objects.published()
        .filter(pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:batch_size]
    )
    return ids, (ids[-1] if len(ids) == batch_size else None)


def reconcile_index(*, after_id: int, batch_size: int) -> tuple[list[int], int | None]:
    """Index the next batch of published articles (by id) and drop vanished ones from the index.

    Returns the batch's ids and the cursor for the next batch (None when done).
    """
    ids, upper = published_batch(after_id=after_id, batch_size=batch_size)
    gone = ArticleTerms.objects.filter(article_id__gt=after_id).exclude(
        article_id__in=ArticlePage.objects.published().values("pk")
    )
    if upper is not None:
        gone = gone.filter(article_id__lte=upper)
    for stale_id in list(gone.values_list("article_id", flat=True)):
        withdraw_article(article_id=stale_id)
    missing = set(ids) - set(
        ArticleTerms.objects.filter(article_id__in=ids).values_list("article_id", flat=True)
    )
    for article in ArticlePage.objects.filter(pk__in=missing):
        index_article(article=article)
    return ids, upper
