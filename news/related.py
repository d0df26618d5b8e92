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
are looked up in the GIN index, restricted to the `WINDOW` articles published nearest to X in
time, so the work per article is bounded however large the archive grows.

Everything is computed for a batch of articles at once in a fixed number of statements (the
nightly pass); a publish is a batch of one, so both give the same lists.
"""

import heapq
import math
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import chain

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from wagtail.models import Page

from news.models import ArticleByline, ArticlePage, ArticleTag
from news.models.related import (
    ArticleTerms,
    RelatedArticle,
    RelatedExclusion,
    RelatedPass,
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

TEXT_UNITS = 10**6
"""Text weights are added up as integers in millionths (exact, in any order, and fast)."""

MIN_TEXT = 0.08
"""Below this share of X's distinctive vocabulary, text alone does not make a story related."""

RECENCY_DAYS = 30.0


@dataclass(frozen=True)
class TextModel:
    """How text similarity is computed. Each part was measured on both the synthetic corpus
    and real news (bench/README.md, "Related: real news"), not tuned to one of them.

    - saturation_k1: BM25's saturation of the subject's term counts, tf·(k1+1)/(tf + k1·K),
      with K its length normalisation (None: ln(1 + tf), as before): a word repeated ten times
      in a long body does not outweigh the headline's words.
    - length_b: BM25's length normalisation of the candidate, (k1+1)/(1 + k1·(1-b+b·L/avgL))
      on its share of the subject's vocabulary (0: none): a long story contains many words
      by chance, so matching them says less than a short story matching them.
    - entity_boost: the extra count of each occurrence of a headline's named entity (indexed
      as weight C, `headline_entities`; 0: ignored): who and where a story is about.
    - copy_overlap: two stories whose lexeme sets overlap this much (Jaccard) are near-copies
      (the same wire story refiled or rewritten): never suggested under each other, and never
      two of them in one list (above 1: no de-duplication).
    """

    saturation_k1: float | None = 1.2
    length_b: float = 0.75
    entity_boost: float = 2.0
    copy_overlap: float = 0.6


TEXT_MODEL = TextModel()

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


def store_terms(
    *, article_id: int, title: str, dek: str, body: str, published_at, entities: str = ""
) -> None:
    """Index one published article's text and count its lexemes; replaces what was there."""
    with transaction.atomic(), connection.cursor() as cursor:
        _lock_lexemes(cursor)
        _forget_lexemes(cursor, article_id=article_id)
        cursor.execute(
            """
            INSERT INTO news_articleterms (article_id, published_at, vector, lexeme_count)
            SELECT %(id)s, %(published_at)s, v, length(v)
            FROM (SELECT setweight(to_tsvector('english', %(title)s), 'A')
                         || setweight(to_tsvector('english', %(dek)s), 'B')
                         || setweight(to_tsvector('english', %(entities)s), 'C')
                         || setweight(to_tsvector('english', %(body)s), 'D') AS v) AS text
            ON CONFLICT (article_id) DO UPDATE
            SET published_at = EXCLUDED.published_at, vector = EXCLUDED.vector,
                lexeme_count = EXCLUDED.lexeme_count
            """,
            {"id": article_id, "published_at": published_at, "title": title, "dek": dek,
             "entities": entities, "body": body[:200_000]},
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


_WORD = re.compile(r"[^\W\d_][\w'’.&-]*")
_SENTENCE_ENDS = '.!?:;"“”-–—•'
ENTITY_TEXT = 5000
"""Characters of dek and body read for entities: names are introduced early."""


def _capitalised_mid_sentence(text: str) -> set[str]:
    """Lower-cased words the text writes capitalised where no sentence or paragraph begins."""
    found = set()
    for match in _WORD.finditer(text):
        word = match.group(0).rstrip(".'’-")
        if not word[:1].isupper():
            continue
        before = text[max(0, match.start() - 12) : match.start()]
        kept = before.rstrip()
        if kept and kept[-1] not in _SENTENCE_ENDS and "\n" not in before[len(kept) :]:
            found.add(word.lower())
    return found


def headline_entities(*, title: str, text: str) -> str:
    """The headline's named entities: its capitalised words that the story's text (dek and
    body) also writes capitalised where no sentence begins, so that "Title Case" and "Sentence
    case" headlines both yield names rather than ordinary words ("Bears Claw Back" are not
    entities unless the story writes "Bears" mid-sentence). Returned as text, in order."""
    names = _capitalised_mid_sentence(text[:ENTITY_TEXT])
    return " ".join(
        word
        for word in (m.group(0).rstrip(".'’-") for m in _WORD.finditer(title))
        if word[:1].isupper() and word.lower() in names
    )


def index_article(*, article: ArticlePage) -> None:
    dek, body = article.dek, article.body_text()
    store_terms(
        article_id=article.pk,
        title=article.title,
        dek=dek,
        body=body,
        published_at=article.first_published_at or timezone.now(),
        entities=headline_entities(title=article.title, text=f"{dek}\n{body}"),
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
#
# Everything below works on a batch of articles at once, in a fixed number of statements however
# many articles the batch holds: the nightly pass scores hundreds per batch, a publish scores a
# batch of one. One code path, so both give the same lists.


@dataclass(frozen=True)
class Subject:
    """An article whose list is being computed, with everything its scoring reads about it."""

    article_id: int
    path: str
    depth: int
    published_at: datetime
    tag_ids: frozenset[int]
    author_ids: frozenset[int]
    excluded: frozenset[int]
    pins: tuple[int, ...]
    """Its editors' pins that readers may see, in the editors' order (at most `RELATED_COUNT`)."""

    @property
    def section_path(self) -> str:
        return self.path[: -Page.steplen]


def _ids_in(ids) -> RawSQL:
    """`pk__in` for many ids as one array parameter (an IN list is capped at 65,535)."""
    return RawSQL("SELECT unnest(%s::integer[])", [sorted(ids)])


def load_subjects(*, article_ids) -> list[Subject]:
    """The published ones of `article_ids` with their tags, authors, exclusions and pins (by id)."""
    rows = list(
        ArticlePage.objects.published()
        .filter(pk__in=_ids_in(article_ids))
        .order_by("pk")
        .values_list("pk", "path", "depth", "first_published_at")
    )
    ids = [pk for pk, *_ in rows]
    if not ids:
        return []
    tags, authors, excluded, pinned = (defaultdict(set), defaultdict(set), defaultdict(set), {})
    for pk, tag_id in ArticleTag.objects.filter(content_object_id__in=_ids_in(ids)).values_list(
        "content_object_id", "tag_id"
    ):
        tags[pk].add(tag_id)
    for pk, profile_id in ArticleByline.objects.filter(page_id__in=_ids_in(ids)).values_list(
        "page_id", "profile_id"
    ):
        authors[pk].add(profile_id)
    for pk, related_id in RelatedExclusion.objects.filter(page_id__in=_ids_in(ids)).values_list(
        "page_id", "related_id"
    ):
        excluded[pk].add(related_id)
    pins = list(
        RelatedPin.objects.filter(page_id__in=_ids_in(ids))
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "related_id")
    )
    visible = set(
        ArticlePage.objects.published()
        .filter(pk__in=_ids_in({related_id for _, related_id in pins}))
        .values_list("pk", flat=True)
    )
    for pk, related_id in pins:
        if related_id in visible and related_id != pk and related_id not in excluded[pk]:
            pinned.setdefault(pk, []).append(related_id)
    now = timezone.now()
    return [
        Subject(
            article_id=pk,
            path=path,
            depth=depth,
            published_at=published_at or now,
            tag_ids=frozenset(tags[pk]),
            author_ids=frozenset(authors[pk]),
            excluded=frozenset(excluded[pk]),
            pins=tuple(pinned.get(pk, ())[:RELATED_COUNT]),
        )
        for pk, path, depth, published_at in rows
    ]


def publication_windows(*, subjects: list[Subject]) -> dict[int, tuple]:
    """Each subject's window: the publication times `WINDOW` articles before and after it
    (None: the archive's end), read off the index on `published_at` in one statement."""
    if not subjects:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT s.id,
                   (SELECT t.published_at FROM news_articleterms t WHERE t.published_at <= s.at
                    ORDER BY t.published_at DESC OFFSET %(window)s LIMIT 1),
                   (SELECT t.published_at FROM news_articleterms t WHERE t.published_at >= s.at
                    ORDER BY t.published_at OFFSET %(window)s LIMIT 1)
            FROM unnest(%(ids)s::integer[], %(at)s::timestamptz[]) AS s(id, at)
            """,
            {
                "window": WINDOW,
                "ids": [s.article_id for s in subjects],
                "at": [s.published_at for s in subjects],
            },
        )
        return {pk: (lo, hi) for pk, lo, hi in cursor.fetchall()}


def window_for(*, article: ArticlePage) -> tuple[datetime | None, datetime | None]:
    return _window(published_at=article.first_published_at or timezone.now())


def _window(*, published_at: datetime) -> tuple[datetime | None, datetime | None]:
    """The publication times `WINDOW` articles before and after a time (None: the archive's end)."""
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


def _in_window(queryset, window):
    lo, hi = window
    if lo is not None:
        queryset = queryset.filter(first_published_at__gte=lo)
    if hi is not None:
        queryset = queryset.filter(first_published_at__lte=hi)
    return queryset


@dataclass(frozen=True)
class Vocabulary:
    """An article's distinctive lexemes that other articles also use, with their tf·idf weights,
    and the total weight of its top `DISTINCTIVE_LEXEMES` (including those only it uses), so
    that a candidate's text score is the share of its whole distinctive vocabulary."""

    lexemes: tuple[tuple[str, float], ...]
    total: float


def average_lexeme_count() -> float:
    """The index's mean vector length (distinct lexemes), for BM25's length normalisation."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(avg(lexeme_count), 0)::float8 FROM news_articleterms")
        return cursor.fetchone()[0]


def distinctive_vocabularies(*, article_ids: list[int]) -> dict[int, Vocabulary]:
    """Top lexemes by tf·idf (position-weighted counts, saturated as `TEXT_MODEL` says, times
    log(1 + N / df)), for every article in the batch in one statement."""
    average_length = average_lexeme_count()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            WITH mine AS (
                SELECT t.article_id, u.lexeme, max(t.lexeme_count) AS length,
                       sum(CASE w WHEN 'A' THEN 3.0 WHEN 'B' THEN 2.0
                                  WHEN 'C' THEN %(entity)s ELSE 1.0 END) AS tf
                FROM news_articleterms t
                CROSS JOIN LATERAL unnest(t.vector) AS u(lexeme, positions, weights)
                CROSS JOIN LATERAL unnest(u.weights) AS w
                WHERE t.article_id = ANY(%(ids)s::integer[])
                GROUP BY t.article_id, u.lexeme
            ), total AS (
                -- The planner's row estimate once the index is large (counting would cost
                -- time proportional to the archive), an exact count while it is small.
                SELECT greatest(CASE WHEN c.reltuples >= 10000 THEN c.reltuples
                                     ELSE (SELECT count(*) FROM news_articleterms) END,
                                2)::float8 AS n,
                       %(average_length)s::float8 AS average_length
                FROM pg_class c WHERE c.oid = 'news_articleterms'::regclass
            ), scored AS (
                SELECT m.article_id, m.lexeme, s.documents >= 2 AS shared,
                       CASE WHEN %(k1)s::float8 IS NULL THEN ln(1 + m.tf)
                            ELSE m.tf * (%(k1)s + 1) / (m.tf + %(k1)s * (1 - %(b)s + %(b)s
                                 * m.length / greatest(total.average_length, 1)))
                       END * ln(1 + total.n / greatest(s.documents, 1)) AS weight
                FROM mine m JOIN news_relatedlexeme s ON s.lexeme = m.lexeme, total
                WHERE s.documents <= greatest(%(floor)s, %(share)s * total.n)
            ), ranked AS (
                SELECT *,
                       row_number() OVER (PARTITION BY article_id
                                          ORDER BY weight DESC, lexeme) AS overall,
                       row_number() OVER (PARTITION BY article_id, shared
                                          ORDER BY weight DESC, lexeme) AS among
                FROM scored
            )
            SELECT article_id, lexeme, weight, shared, overall <= %(limit)s
            FROM ranked
            WHERE overall <= %(limit)s OR (shared AND among <= %(limit)s)
            ORDER BY article_id, weight DESC, lexeme
            """,
            {
                "ids": article_ids,
                "floor": COMMON_FLOOR,
                "share": COMMON_SHARE,
                "limit": DISTINCTIVE_LEXEMES,
                "entity": TEXT_MODEL.entity_boost,
                "k1": TEXT_MODEL.saturation_k1,
                "b": TEXT_MODEL.length_b,
                "average_length": average_length,
            },
        )
        rows = cursor.fetchall()
    shared, totals = defaultdict(list), defaultdict(float)
    for pk, lexeme, weight, is_shared, in_top in rows:
        if in_top:
            totals[pk] += weight
        if is_shared:
            shared[pk].append((lexeme, float(weight)))
    return {
        pk: Vocabulary(lexemes=tuple(shared[pk]), total=totals[pk])
        for pk in totals
        if shared[pk] and totals[pk] > 0
    }


def _tsquery_literal(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _earliest(moment: datetime | None) -> datetime:
    return moment or datetime.min.replace(tzinfo=UTC)


def _latest(moment: datetime | None) -> datetime:
    return moment or datetime.max.replace(tzinfo=UTC)


def length_norm(*, lengths: dict[int, int]) -> dict[int, float]:
    """Per article, BM25's length factor on a single match, (k1+1)/(1 + k1·(1-b+b·L/avgL)):
    1 for a story of average length, more for a shorter one, less for a longer one."""
    k1, b = TEXT_MODEL.saturation_k1 or 1.2, TEXT_MODEL.length_b
    if not b or not lengths:
        return dict.fromkeys(lengths, 1.0)
    average = max(average_lexeme_count(), 1.0)
    return {pk: (k1 + 1) / (1 + k1 * (1 - b + b * length / average))
            for pk, length in lengths.items()}  # fmt: skip


def text_matches(*, subjects: list[Subject], windows: dict[int, tuple]) -> dict[int, dict]:
    """Per subject, the `TEXT_CANDIDATES` articles in its window sharing most of its distinctive
    vocabulary: subject id → {candidate id → share of the vocabulary's weight (0..1)}.

    One statement for the batch: each distinct lexeme of the batch is looked up once in the GIN
    index (an exact single-lexeme match, so no vector is read back) within the span of time the
    batch's windows cover, and comes back as its postings in publication order. Subjects
    published close together (the nightly pass walks the archive in publication order) share
    those postings; each subject then adds up, per candidate, the weights of its lexemes the
    candidate contains, over the slice of each posting list inside its own window. Weights are
    added as whole millionths, so the order of addition can never change a ranking.
    """
    vocabularies = distinctive_vocabularies(article_ids=[s.article_id for s in subjects])
    bounded = [s for s in subjects if s.article_id in vocabularies]
    if not bounded:
        return {}
    lexemes = sorted({lexeme for v in vocabularies.values() for lexeme, _ in v.lexemes})
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT q.lexeme, array_agg(t.article_id ORDER BY t.published_at, t.article_id),
                   array_agg(t.published_at ORDER BY t.published_at, t.article_id),
                   array_agg(t.lexeme_count ORDER BY t.published_at, t.article_id)
            FROM unnest(%(lexemes)s::text[], %(queries)s::tsquery[]) AS q(lexeme, query)
            JOIN news_articleterms t ON t.vector @@ q.query
            WHERE t.published_at >= %(span_lo)s AND t.published_at <= %(span_hi)s
            GROUP BY q.lexeme
            """,
            {
                "lexemes": lexemes,
                "queries": [_tsquery_literal(lexeme) for lexeme in lexemes],
                # Constants, so that the planner sizes the span from them.
                "span_lo": min(_earliest(windows[s.article_id][0]) for s in bounded),
                "span_hi": max(_latest(windows[s.article_id][1]) for s in bounded),
            },
        )
        rows = cursor.fetchall()
    postings = {lexeme: (ids, times) for lexeme, ids, times, _ in rows}
    published, lengths = {}, {}
    for _, ids, times, counts in rows:
        published.update(zip(ids, times, strict=True))
        lengths.update(zip(ids, counts, strict=True))
    norm = length_norm(lengths=lengths)
    matches = {}
    for subject in bounded:
        vocabulary = vocabularies[subject.article_id]
        lo, hi = (
            _earliest(windows[subject.article_id][0]),
            _latest(windows[subject.article_id][1]),
        )
        shared: dict[int, int] = {}
        add = shared.get
        for lexeme, weight in vocabulary.lexemes:
            ids, times = postings.get(lexeme, ((), ()))
            units = round(weight * TEXT_UNITS)
            for pk in ids[bisect_left(times, lo) : bisect_right(times, hi)]:
                shared[pk] = add(pk, 0) + units
        shared.pop(subject.article_id, None)
        share = {pk: min(1.0, units / TEXT_UNITS / vocabulary.total * norm[pk])
                 for pk, units in shared.items()}  # fmt: skip
        best = heapq.nlargest(TEXT_CANDIDATES, share, key=lambda pk: (share[pk], published[pk], pk))
        matches[subject.article_id] = {pk: share[pk] for pk in best}
    return matches


def _newest_sharing(
    *, subjects: list[Subject], windows: dict[int, tuple], table: str, column: str, key, limit
) -> dict[int, set[int]]:
    """Per subject, the newest `limit` indexed articles in its window that share one of its
    tags (or authors): `table`.`column` must be one of `key(subject)`, joined on the article."""
    pairs = [
        (s.article_id, value)
        for s in subjects
        for value in sorted(key(s))
        if windows.get(s.article_id) is not None
    ]
    if not pairs:
        return {}
    article_column = {"news_articletag": "content_object_id", "news_articlebyline": "page_id"}[
        table
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH wanted AS (
                SELECT subject, array_agg(value) AS vals
                FROM unnest(%(subjects)s::integer[], %(values)s::integer[]) AS w(subject, value)
                GROUP BY subject
            ), bounds AS (
                SELECT * FROM unnest(%(ids)s::integer[], %(lo)s::timestamptz[],
                                     %(hi)s::timestamptz[], %(excluded)s::text[])
                    AS b(subject, lo, hi, excluded)
            )
            SELECT b.subject, c.article_id
            FROM bounds b JOIN wanted w ON w.subject = b.subject
            CROSS JOIN LATERAL (
                SELECT t.article_id FROM news_articleterms t
                WHERE t.published_at >= coalesce(b.lo, '-infinity'::timestamptz)
                  AND t.published_at <= coalesce(b.hi, 'infinity'::timestamptz)
                  AND t.article_id <> b.subject
                  AND t.article_id <> ALL(b.excluded::integer[])
                  AND EXISTS (SELECT 1 FROM {table} x
                              WHERE x.{article_column} = t.article_id
                                AND x.{column} = ANY(w.vals))
                ORDER BY t.published_at DESC, t.article_id DESC
                LIMIT %(limit)s
            ) c
            """,  # noqa: S608 - table and column names come from this module only
            {
                "subjects": [pk for pk, _ in pairs],
                "values": [value for _, value in pairs],
                "ids": [s.article_id for s in subjects],
                "lo": [windows[s.article_id][0] for s in subjects],
                "hi": [windows[s.article_id][1] for s in subjects],
                "excluded": [
                    "{" + ",".join(map(str, sorted(s.excluded | set(s.pins)))) + "}"
                    for s in subjects
                ],
                "limit": limit,
            },
        )
        found = defaultdict(set)
        for subject, pk in cursor.fetchall():
            found[subject].add(pk)
    return found


@dataclass(frozen=True)
class _Shown:
    """What scoring needs to know about a candidate readers may see."""

    path: str
    published_at: datetime
    tag_ids: frozenset[int]
    author_ids: frozenset[int]


def _visible_candidates(*, ids: set[int], subjects: list[Subject]) -> dict[int, _Shown]:
    """The published ones of `ids`, with the tags and authors they share with any subject."""
    if not ids:
        return {}
    rows = list(
        ArticlePage.objects.published()
        .filter(pk__in=_ids_in(ids))
        .values_list("pk", "path", "first_published_at")
    )
    visible = [pk for pk, _, _ in rows]
    all_tags = set().union(*(s.tag_ids for s in subjects))
    all_authors = set().union(*(s.author_ids for s in subjects))
    tags, authors = defaultdict(set), defaultdict(set)
    if all_tags:
        for pk, tag_id in ArticleTag.objects.filter(
            content_object_id__in=_ids_in(visible), tag_id__in=all_tags
        ).values_list("content_object_id", "tag_id"):
            tags[pk].add(tag_id)
    if all_authors:
        for pk, profile_id in ArticleByline.objects.filter(
            page_id__in=_ids_in(visible), profile_id__in=all_authors
        ).values_list("page_id", "profile_id"):
            authors[pk].add(profile_id)
    return {
        pk: _Shown(path, published_at, frozenset(tags[pk]), frozenset(authors[pk]))
        for pk, path, published_at in rows
    }


def score_candidates(*, subjects: list[Subject]) -> dict[int, list[Candidate]]:
    """Per subject, every candidate worth considering, scored, best first (ties: newer, then
    higher id). Candidates: the best text matches, the newest sharing a tag and the newest
    sharing an author, all from the subject's publication window."""
    windows = publication_windows(subjects=subjects)
    text = text_matches(subjects=subjects, windows=windows)
    by_tag = _newest_sharing(
        subjects=subjects,
        windows=windows,
        table="news_articletag",
        column="tag_id",
        key=lambda s: s.tag_ids,
        limit=TAG_CANDIDATES,
    )
    by_author = _newest_sharing(
        subjects=subjects,
        windows=windows,
        table="news_articlebyline",
        column="profile_id",
        key=lambda s: s.author_ids,
        limit=AUTHOR_CANDIDATES,
    )
    wanted = {
        s.article_id: (
            set(text.get(s.article_id, ()))
            | by_tag.get(s.article_id, set())
            | by_author.get(s.article_id, set())
        )
        - s.excluded
        - set(s.pins)
        - {s.article_id}
        for s in subjects
    }
    shown = _visible_candidates(ids=set().union(*wanted.values()), subjects=subjects)
    scored = {}
    for s in subjects:
        candidates = []
        for pk in wanted[s.article_id]:
            other = shown.get(pk)
            if other is None:
                continue
            days = abs((other.published_at - s.published_at).total_seconds()) / 86400
            candidates.append(
                Candidate(
                    article_id=pk,
                    text=text.get(s.article_id, {}).get(pk, 0.0),
                    tags=len(other.tag_ids & s.tag_ids) / len(s.tag_ids) if s.tag_ids else 0.0,
                    authors=1.0 if other.author_ids & s.author_ids else 0.0,
                    section=1.0 if other.path[: -Page.steplen] == s.section_path else 0.0,
                    recency=math.exp(-days / RECENCY_DAYS),
                )
            )
        scored[s.article_id] = sorted(
            candidates,
            key=lambda c: (-c.score, -shown[c.article_id].published_at.timestamp(), -c.article_id),
        )
    return scored


def _newest_ids(queryset, *, limit: int) -> list[int]:
    rows = queryset.order_by("-first_published_at", "-pk").values_list("pk", "first_published_at")
    return [pk for pk, _ in rows.distinct()[:limit]]


def fallback_ids(*, subject: Subject, excluded: set[int], limit: int) -> list[int]:
    """Latest published stories in X's tags, then in its section: no scoring, stable order."""
    others = ArticlePage.objects.published().exclude(pk__in={subject.article_id, *excluded})
    tag_ids = sorted(subject.tag_ids)
    picks = _newest_ids(others.filter(tags__in=tag_ids), limit=limit) if tag_ids else []
    if len(picks) < limit:
        section = others.filter(path__startswith=subject.section_path, depth=subject.depth).exclude(
            pk__in=picks
        )
        picks += _newest_ids(section, limit=limit - len(picks))
    return picks


def lexeme_sets(*, article_ids) -> dict[int, frozenset[str]]:
    """Each indexed article's distinct lexemes (one statement), to tell near-copies apart."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT article_id, tsvector_to_array(vector) FROM news_articleterms"
            " WHERE article_id = ANY(%s::integer[])",
            [sorted(article_ids)],
        )
        return {pk: frozenset(lexemes) for pk, lexemes in cursor.fetchall()}


def near_copies(one: frozenset[str] | None, other: frozenset[str] | None) -> bool:
    """The same story twice (a wire story refiled, rewritten or re-sourced): their lexeme
    sets overlap by at least `TEXT_MODEL.copy_overlap` (Jaccard)."""
    if not one or not other:
        return False
    return len(one & other) >= TEXT_MODEL.copy_overlap * len(one | other)


COPIES_CHECKED = RELATED_COUNT * 3
"""Candidates per list compared for near-copies: enough to fill a list past a few copies."""


def choose(
    *,
    subject: Subject,
    candidates: list[Candidate],
    lexemes: dict[int, frozenset[str]] | None = None,
) -> list[Suggestion]:
    """X's list: its pins, then its relevant candidates, then the fallback; at most
    `RELATED_COUNT`. With `lexemes` (see `lexeme_sets`), a near-copy of X or of a story
    already listed is passed over."""
    lexemes = lexemes or {}
    chosen = [
        Suggestion(related_id=pk, score=1.0, reason=RelatedArticle.Reason.PINNED)
        for pk in subject.pins
    ]
    shown = [lexemes.get(subject.article_id), *(lexemes.get(pk) for pk in subject.pins)]
    copies = set()
    for candidate in candidates:
        if len(chosen) >= RELATED_COUNT or not candidate.relevant:
            break
        words = lexemes.get(candidate.article_id)
        if any(near_copies(words, seen) for seen in shown):
            copies.add(candidate.article_id)
            continue
        shown.append(words)
        chosen.append(
            Suggestion(candidate.article_id, candidate.score, RelatedArticle.Reason.SCORED)
        )
    if len(chosen) < RELATED_COUNT:
        taken = set(subject.excluded) | copies | {suggestion.related_id for suggestion in chosen}
        chosen += [
            Suggestion(related_id=pk, score=0.0, reason=RelatedArticle.Reason.FALLBACK)
            for pk in fallback_ids(
                subject=subject, excluded=taken, limit=RELATED_COUNT - len(chosen)
            )
        ]
    return chosen


def choose_lists(
    *, subjects: list[Subject], scored: dict[int, list[Candidate]]
) -> dict[int, list[Suggestion]]:
    """Every subject's list (`choose`), near-copies told apart with one look-up for the batch."""
    compared = set()
    for subject in subjects:
        compared.update({subject.article_id, *subject.pins})
        compared.update(
            c.article_id for c in scored[subject.article_id][:COPIES_CHECKED] if c.relevant
        )
    lexemes = lexeme_sets(article_ids=compared) if TEXT_MODEL.copy_overlap <= 1 else {}
    return {
        subject.article_id: choose(
            subject=subject, candidates=scored[subject.article_id], lexemes=lexemes
        )
        for subject in subjects
    }


def suggestions_for(*, article: ArticlePage) -> tuple[list[Suggestion], list[Candidate]]:
    """X's list (pins, scored, fallback; at most `RELATED_COUNT`) and every scored candidate."""
    subjects = load_subjects(article_ids=[article.pk])
    if not subjects:
        return [], []
    scored = score_candidates(subjects=subjects)
    return choose_lists(subjects=subjects, scored=scored)[article.pk], scored[article.pk]


# --- Storing --------------------------------------------------------------------------------


def lock_articles(*, article_ids) -> None:
    """Hold these articles' lists until the transaction ends (others storing them wait).

    Taken in id order, so two batches that overlap cannot deadlock.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, id)) FROM"
            " (SELECT DISTINCT unnest(%s::integer[]) AS id ORDER BY id) AS ids",
            [_LOCK_NAMESPACE, list(article_ids)],
        )


def _lock_indexed(*, article_ids) -> set[int]:
    """Those of `article_ids` still in the index, kept there until this transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT article_id FROM news_articleterms WHERE article_id = ANY(%s::integer[])"
            " ORDER BY article_id FOR KEY SHARE",
            [sorted(article_ids)],
        )
        return {pk for (pk,) in cursor.fetchall()}


def replace_lists(
    *, lists: dict[int, list[Suggestion]], computed_at: datetime | None = None
) -> dict[int, int]:
    """Swap each article's stored list for its new one, all in one transaction; returns how
    many suggestions each article now has stored.

    `computed_at` is when the computation started reading: a list stored since then by another
    recompute (an editor's publish during the nightly pass) is newer than ours and is kept.
    Suggested articles are re-checked against the index under a key-share lock, so an article
    unpublished meanwhile (its index row gone) is never written back into a list, and an article
    no longer published gets an empty list.
    """
    computed_at = computed_at or timezone.now()
    if not lists:
        return {}
    with transaction.atomic():
        lock_articles(article_ids=lists)
        newer = set(
            RelatedArticle.objects.filter(
                article_id__in=_ids_in(lists), computed_at__gt=computed_at
            ).values_list("article_id", flat=True)
        )
        still_indexed = _lock_indexed(
            article_ids={s.related_id for s in chain.from_iterable(lists.values())} | set(lists)
        )
        replaced = sorted(set(lists) - newer)
        RelatedArticle.objects.filter(article_id__in=_ids_in(replaced)).delete()
        rows = [
            RelatedArticle(
                article_id=article_id,
                related_id=suggestion.related_id,
                rank=rank,
                score=round(suggestion.score, 6),
                reason=suggestion.reason,
                computed_at=computed_at,
            )
            for article_id in replaced
            if article_id in still_indexed
            for rank, suggestion in enumerate(
                s for s in lists[article_id] if s.related_id in still_indexed
            )
        ]
        RelatedArticle.objects.bulk_create(rows, batch_size=2000)
    stored = defaultdict(int)
    for row in rows:
        stored[row.article_id] += 1
    return {pk: stored[pk] for pk in replaced}


def replace_related(*, article_id: int, suggestions: list[Suggestion]) -> int:
    """Swap one article's stored list (see `replace_lists`)."""
    return replace_lists(lists={article_id: suggestions}).get(article_id, 0)


def compute_lists(*, article_ids: list[int]) -> dict[int, list[Suggestion]]:
    """These articles' lists, computed in a fixed number of statements however many there are
    (an article no longer published gets an empty one)."""
    subjects = load_subjects(article_ids=article_ids)
    scored = score_candidates(subjects=subjects)
    return {pk: [] for pk in article_ids} | choose_lists(subjects=subjects, scored=scored)


def recompute_lists(*, article_ids: list[int]) -> dict[int, list[Suggestion]]:
    """Recompute and store these articles' lists; returns them as computed."""
    computed_at = timezone.now()
    lists = compute_lists(article_ids=article_ids)
    replace_lists(lists=lists, computed_at=computed_at)
    return lists


def recompute_list(*, article_id: int) -> tuple[list[Suggestion], list[Candidate]]:
    """Recompute and store one article's list (an unpublished one's is emptied); returns it
    and every scored candidate (to find the lists it should now join)."""
    computed_at = timezone.now()
    subjects = load_subjects(article_ids=[article_id])
    if not subjects:
        replace_lists(lists={article_id: []}, computed_at=computed_at)
        return [], []
    scored = score_candidates(subjects=subjects)
    suggestions = choose_lists(subjects=subjects, scored=scored)[article_id]
    replace_lists(lists={article_id: suggestions}, computed_at=computed_at)
    return suggestions, scored[article_id]


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
    return refresh_articles(article_ids=[article_id])


def refresh_articles(*, article_ids: list[int]) -> list[int]:
    """After publishes: index these articles (withdraw those no longer published), recompute
    their lists as one batch, and return the other lists to recompute (their neighbours')."""
    articles = ArticlePage.objects.published().filter(pk__in=_ids_in(article_ids)).in_bulk()
    affected: set[int] = set()
    for article_id in sorted(set(article_ids) - set(articles)):
        affected.update(withdraw_article(article_id=article_id))
    for article_id in sorted(articles):
        index_article(article=articles[article_id])
    computed_at = timezone.now()
    subjects = load_subjects(article_ids=sorted(articles))
    scored = score_candidates(subjects=subjects)
    replace_lists(lists=choose_lists(subjects=subjects, scored=scored), computed_at=computed_at)
    for subject in subjects:
        affected.update(
            lists_to_update(
                article=articles[subject.article_id], candidates=scored[subject.article_id]
            )
        )
    return sorted(affected - set(article_ids))


# --- The refresh queue ----------------------------------------------------------------------

REFRESH_CLAIM = timedelta(minutes=10)
"""How long a worker's claim on a batch lasts: past it (the worker died), the batch is redone."""


def queue_refresh(*, article_ids) -> None:
    """Queue these articles for `drain_refresh_queue`, in the caller's transaction."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO news_relatedrefreshqueue (article_id, queued_at, claimed_until)
            SELECT unnest(%s::integer[]), clock_timestamp(), NULL
            ON CONFLICT (article_id) DO UPDATE
            SET queued_at = EXCLUDED.queued_at, claimed_until = NULL
            """,
            [sorted(set(article_ids))],
        )


def claim_refresh_batch(*, batch_size: int) -> dict[int, datetime]:
    """Claim the oldest queued articles nobody is working on: id → when it was queued."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE news_relatedrefreshqueue q SET claimed_until = now() + %(claim)s
            FROM (SELECT article_id FROM news_relatedrefreshqueue
                  WHERE claimed_until IS NULL OR claimed_until < now()
                  ORDER BY queued_at, article_id
                  LIMIT %(limit)s FOR UPDATE SKIP LOCKED) AS due
            WHERE q.article_id = due.article_id
            RETURNING q.article_id, q.queued_at
            """,
            {"claim": REFRESH_CLAIM, "limit": batch_size},
        )
        return dict(cursor.fetchall())


def finish_refresh_batch(*, claimed: dict[int, datetime]) -> None:
    """Take a done batch off the queue; an article queued again since its claim stays."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            DELETE FROM news_relatedrefreshqueue q
            USING unnest(%s::integer[], %s::timestamptz[]) AS done(article_id, queued_at)
            WHERE q.article_id = done.article_id AND q.queued_at = done.queued_at
            """,
            [list(claimed), list(claimed.values())],
        )


def drain_refresh_queue(*, batch_size: int) -> tuple[int, list[int]]:
    """Refresh one batch of queued articles (`refresh_articles`): how many were claimed (a
    full batch means more may wait), and the neighbours' lists to recompute."""
    claimed = claim_refresh_batch(batch_size=batch_size)
    if not claimed:
        return 0, []
    neighbours = refresh_articles(article_ids=sorted(claimed))
    finish_refresh_batch(claimed=claimed)
    return len(claimed), neighbours


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


def batch_in_publication_order(
    *, after: tuple[datetime | None, int], batch_size: int
) -> tuple[list[int], tuple[datetime, int] | None]:
    """The next `batch_size` indexed articles after `after` = (publication time, id), in
    publication order, and the next cursor (None when done). Articles published close together
    share most of their windows, which is what makes scoring them together cheap."""
    at, pk = after
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT article_id, published_at FROM news_articleterms
            WHERE %(at)s::timestamptz IS NULL
               OR (published_at >= %(at)s AND (published_at, article_id) > (%(at)s, %(pk)s))
            ORDER BY published_at, article_id
            LIMIT %(limit)s
            """,
            {"at": at, "pk": pk, "limit": batch_size},
        )
        rows = cursor.fetchall()
    cursor_after = (rows[-1][1], rows[-1][0]) if len(rows) == batch_size else None
    return [article_id for article_id, _ in rows], cursor_after


@dataclass(frozen=True)
class Step:
    """Where the nightly pass is: its phase, and the last article done in it (by id in the
    index phase; by publication time, then id, in the lists phase)."""

    phase: str
    after_id: int = 0
    after_time: datetime | None = None

    def as_task_args(self) -> tuple[str, int, str | None]:
        return self.phase, self.after_id, self.after_time and self.after_time.isoformat()

    @classmethod
    def from_task_args(cls, phase: str, after_id: int, after_time: str | None) -> "Step":
        return cls(phase, after_id, after_time and datetime.fromisoformat(after_time))


def start_or_resume_pass() -> Step:
    """The step to run now: the unfinished pass's next one, or the first of a new pass."""
    now = timezone.now()
    with transaction.atomic():
        RelatedPass.objects.get_or_create(pk=1)
        current = RelatedPass.objects.select_for_update().get(pk=1)
        if current.phase == RelatedPass.Phase.DONE:
            current.phase, current.after_id, current.after_time = RelatedPass.Phase.INDEX, 0, None
            current.started_at = current.updated_at = now
            current.save()
        return Step(current.phase, current.after_id, current.after_time)


def _advance_pass(*, step: Step, to: Step) -> bool:
    """Move the checkpoint from `step` to `to`; False if another run already moved it on (the
    row stays locked until the caller's transaction ends, so the other run waits, then sees)."""
    return (
        RelatedPass.objects.filter(
            pk=1, phase=step.phase, after_id=step.after_id, after_time=step.after_time
        ).update(
            phase=to.phase, after_id=to.after_id, after_time=to.after_time,
            updated_at=timezone.now(),
        )
        == 1
    )  # fmt: skip


def run_pass_batch(*, step: Step, batch_size: int) -> Step | None:
    """One batch of the nightly pass; returns the next step, or None when the pass is done or
    another run of it has already done this batch.

    Phase "index" repairs the text index by id (articles whose publish task was lost, articles
    no longer published), then the lexeme counts are rebuilt; phase "lists" recomputes every
    indexed article's list, `batch_size` at a time in publication order, and stores each
    batch's lists in the transaction that advances the checkpoint: a batch is stored exactly
    once or not at all.
    """
    if step.phase == RelatedPass.Phase.INDEX:
        _, upper = reconcile_index(after_id=step.after_id, batch_size=batch_size)
        if upper is None:
            rebuild_lexeme_counts()
        following = Step(RelatedPass.Phase.INDEX, upper) if upper else Step(RelatedPass.Phase.LISTS)
        with transaction.atomic():
            return following if _advance_pass(step=step, to=following) else None
    if step.phase != RelatedPass.Phase.LISTS:
        return None
    computed_at = timezone.now()
    ids, upper = batch_in_publication_order(
        after=(step.after_time, step.after_id), batch_size=batch_size
    )
    lists = compute_lists(article_ids=ids)
    following = (
        Step(RelatedPass.Phase.LISTS, after_id=upper[1], after_time=upper[0])
        if upper
        else Step(RelatedPass.Phase.DONE)
    )
    with transaction.atomic():
        if not _advance_pass(step=step, to=following):
            return None
        replace_lists(lists=lists, computed_at=computed_at)
    return following if upper else None
