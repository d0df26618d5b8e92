"""How good and how fast "Continue reading" is (news.related).

    python -m bench related            # quality, then speed at 10,000 and 100,000 articles
    python -m bench.related quality    # one part only: quality | speed

Quality: a labeled synthetic corpus (its own database, rebuilt each run) of stories on distinct
topics. Each topic has its own vocabulary, a fifth of it shared with a neighbouring topic; bodies
are mostly general words (Zipf-distributed) with a thin layer of topic words and a sprinkling of
another topic's; only a fifth of the stories carry a tag, and a quarter of those tags are wrong;
authors write mostly, not only, on two topics; sections are unrelated to topics. The scorer never
sees the labels. precision@5 = share of the first five suggestions on the story's own topic (a
missing suggestion counts as a miss), against the tags-only baseline (latest sharing a tag, then
latest in the section: the placeholder this replaced).

Speed, at each size in its own process and database: 100,000 articles in the benchmark database
(`bench.harness`), 10,000 in `<db>_10k_bench`; each starts as a copy of the seeded archive
`masthead_seed_bench` when the machine has one (shrunk to size), else is filled with
`news.bulk.seed_articles` and grown set-wise. The text index is built set-wise (as the nightly
pass's lexeme recount is). Reported: one incremental recompute after a publish (index the story,
recompute its list, find the lists to update) and the fan-out it triggers; lists recomputed one
at a time on a sample (the publish path); then the whole nightly pass actually run in this
process, batch after batch as one worker runs the task chain: minutes per phase, milliseconds
per article, statements per batch, the process's peak RSS. The machine's load average is
recorded too: timings on a shared machine are only comparable within one run.
"""

import csv
import io
import json
import os
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from bisect import bisect
from collections import defaultdict
from itertools import accumulate
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import harness

QUALITY_ARTICLES = 3000
QUALITY_SAMPLE = 400
TOPIC_COUNT = 12
SPEED_SIZES = (10_000, 100_000)
SEEDED = 10_000
"""Articles made by `news.bulk.seed_articles`; beyond that the archive grows by set-wise copies."""
INCREMENTAL_SAMPLE = 20
ONE_AT_A_TIME_SAMPLE = 100
"""Lists recomputed one by one (the publish path) to compare with the batched nightly pass."""
SEED_DATABASE = "masthead_seed_bench"
"""A seeded 100,000-article database, when the machine has one: copied, never connected to."""


# --- The labeled corpus ---------------------------------------------------------------------


def _pseudo_words(rng: random.Random, count: int, taken: set[str]) -> list[str]:
    onsets = "b c d f g h j k l m n p r s t v w z br cr dr fl gr pl pr sk st tr".split()
    vowels = "a e i o u ai ea oa ou".split()
    codas = "n r s t l m nd st rk".split() + [""]
    words = []
    while len(words) < count:
        word = "".join(
            rng.choice(onsets) + rng.choice(vowels) for _ in range(rng.randint(2, 3))
        ) + rng.choice(codas)
        if word not in taken:
            taken.add(word)
            words.append(word)
    return words


def _zipf_choice(rng: random.Random, words: list[str], *, exponent: float = 1.05) -> str:
    key = (len(words), exponent)
    if key not in _ZIPF:
        _ZIPF[key] = list(accumulate(1 / (rank + 1) ** exponent for rank in range(len(words))))
    cumulative = _ZIPF[key]
    return words[bisect(cumulative, rng.random() * cumulative[-1])]


_ZIPF: dict[tuple[int, float], list[float]] = {}


def labeled_corpus(*, count: int, seed: int = 7) -> list[dict]:
    """Stories with a hidden `topic` label, sparse noisy tags and topic-leaning authors."""
    rng = random.Random(seed)
    taken: set[str] = set()
    general = _pseudo_words(rng, 1500, taken)
    own = [_pseudo_words(rng, 50, taken) for _ in range(TOPIC_COUNT)]
    vocab = [
        own[t][:40] + own[(t + 1) % TOPIC_COUNT][40:50] for t in range(TOPIC_COUNT)
    ]  # a fifth of each vocabulary is the next topic's
    authors = [rng.sample(range(TOPIC_COUNT), k=2) for _ in range(30)]

    def words(n: int, topic: int, noise_topic: int, topical: float) -> str:
        out = []
        for _ in range(n):
            roll = rng.random()
            if roll < topical:
                out.append(_zipf_choice(rng, vocab[topic], exponent=0.8))
            elif roll < topical + 0.03:
                out.append(_zipf_choice(rng, vocab[noise_topic], exponent=0.8))
            else:
                out.append(_zipf_choice(rng, general))
        return " ".join(out)

    stories = []
    for number in range(count):
        topic = rng.randrange(TOPIC_COUNT)
        noise = rng.choice([t for t in range(TOPIC_COUNT) if t != topic])
        tag = None
        if rng.random() < 0.2:
            tag = topic if rng.random() < 0.75 else rng.randrange(TOPIC_COUNT)
        leaning = [a for a, home in enumerate(authors) if topic in home]
        author = rng.choice(leaning) if leaning and rng.random() < 0.6 else rng.randrange(30)
        stories.append(
            {
                "topic": topic,
                "title": words(rng.randint(6, 10), topic, noise, 0.35).capitalize(),
                "dek": words(rng.randint(14, 24), topic, noise, 0.25).capitalize() + ".",
                "paragraphs": [
                    words(rng.randint(50, 110), topic, noise, 0.08).capitalize() + "."
                    for _ in range(rng.randint(3, 6))
                ],
                "tag": None if tag is None else f"topic-{tag}",
                "author": author,
                "number": number,
            }
        )
    return stories


def load_labeled_corpus(stories: list[dict]) -> dict[int, int]:
    """Put the corpus into the database as published articles; returns article id → topic."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from taggit.models import Tag

    from news.bulk import seed_articles
    from news.models import ArticleByline, ArticlePage, ArticleTag, StaffProfilePage

    call_command("seed_demo", articles=0, verbosity=0)
    seed_articles(count=len(stories), seed=1)
    ids = list(
        ArticlePage.objects.order_by("-first_published_at", "pk").values_list("pk", flat=True)
    )
    profiles = list(StaffProfilePage.objects.order_by("pk").values_list("pk", flat=True))
    tags = {
        name: Tag.objects.get_or_create(name=name, defaults={"slug": name})[0]
        for name in {s["tag"] for s in stories if s["tag"]}
    }
    labels = {}
    with transaction.atomic(), connection.cursor() as cursor:
        rows_page, rows_article = [], []
        for pk, story in zip(ids, stories, strict=True):
            body = [{"type": "paragraph", "value": f"<p>{p}</p>", "id": f"{pk}-{n}"}
                    for n, p in enumerate(story["paragraphs"])]  # fmt: skip
            rows_page.append((story["title"][:250], story["title"][:250], pk))
            rows_article.append((story["dek"], json.dumps(body), pk))
            labels[pk] = story["topic"]
            story["pk"] = pk
        cursor.executemany(
            "UPDATE wagtailcore_page SET title = %s, draft_title = %s WHERE id = %s", rows_page
        )
        cursor.executemany(
            "UPDATE news_articlepage SET dek = %s, body = %s::jsonb WHERE page_ptr_id = %s",
            rows_article,
        )
        ArticleTag.objects.filter(content_object_id__in=ids).delete()
        ArticleByline.objects.filter(page_id__in=ids).delete()
        ArticleTag.objects.bulk_create(
            ArticleTag(content_object_id=pk, tag=tags[s["tag"]])
            for pk, s in zip(ids, stories, strict=True)
            if s["tag"]
        )
        ArticleByline.objects.bulk_create(
            ArticleByline(page_id=pk, profile_id=profiles[s["author"] % len(profiles)])
            for pk, s in zip(ids, stories, strict=True)
            if s["author"] is not None
        )
        dated = [(s["at"], pk) for pk, s in zip(ids, stories, strict=True) if s.get("at")]
        cursor.executemany(
            "UPDATE wagtailcore_page SET first_published_at = %s, last_published_at = %s"
            " WHERE id = %s",
            [(at, at, pk) for at, pk in dated],
        )
    return labels


# --- Building the index set-wise ------------------------------------------------------------


INDEX_SQL = """
INSERT INTO news_articleterms (article_id, published_at, vector, lexeme_count)
SELECT id, first_published_at, v, length(v) FROM (
    SELECT p.id, p.first_published_at,
           setweight(to_tsvector('english', p.title), 'A')
           || setweight(to_tsvector('english', a.dek), 'B')
           || setweight(to_tsvector('english', coalesce((
                SELECT string_agg(regexp_replace(b->>'value', '<[^>]+>', ' ', 'g'), ' ')
                FROM jsonb_array_elements(a.body) b), '')), 'D') AS v
    FROM wagtailcore_page p JOIN news_articlepage a ON a.page_ptr_id = p.id
    WHERE p.live AND p.first_published_at IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM news_articleterms t WHERE t.article_id = p.id)
) AS text
"""
"""Set-wise indexing for the speed part: the same vector as `news.related.store_terms` except
headline entities (found in Python), which the seeded stories do not have anyway."""


def index_all_setwise() -> float:
    """Index every published, not yet indexed article in one statement; recount lexemes.

    Many rows at once go in with the GIN index dropped and rebuilt afterwards (it has no
    pending list, so row-by-row insertion into it would take many minutes at 100,000).
    """
    from django.db import connection, transaction

    from news import related
    from news.models import ArticlePage, ArticleTerms

    started = time.perf_counter()
    missing = ArticlePage.objects.live().count() - ArticleTerms.objects.count()
    gin = next(index for index in ArticleTerms._meta.indexes if index.name.endswith("vector"))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        rebuild = missing > 5000
        if rebuild:
            with connection.schema_editor(atomic=False) as editor:
                editor.remove_index(ArticleTerms, gin)
        cursor.execute(INDEX_SQL)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events to block
        if rebuild:
            with connection.schema_editor(atomic=False) as editor:
                editor.add_index(ArticleTerms, gin)
    related.rebuild_lexeme_counts()
    with connection.cursor() as cursor:  # VACUUM cannot run in a transaction
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("VACUUM ANALYZE news_articleterms")
        cursor.execute("ANALYZE")
        cursor.execute("RESET statement_timeout")
    return time.perf_counter() - started


# --- Quality --------------------------------------------------------------------------------


def tags_only(article, *, limit: int) -> list[int]:
    """The baseline: latest published sharing a tag, then the latest in the section."""
    from news import related

    subject = related.load_subjects(article_ids=[article.pk])[0]
    return related.fallback_ids(subject=subject, excluded=set(), limit=limit)


TEXT_VARIANTS = {
    "tf·idf (before)": {"saturation_k1": None, "length_b": 0.0, "entity_boost": 0.0,
                        "copy_overlap": 2.0},
    "+ BM25 saturation and length": {"entity_boost": 0.0, "copy_overlap": 2.0},
    "+ headline entities": {"copy_overlap": 2.0},
    "+ near-copy de-duplication (now)": {},
    "now, without recency": {"recency": 0.0},
}  # fmt: skip
"""Each change to the text model measured on its own, cumulatively, on both corpora."""


def lists_with(*, article_ids: list[int], variant: dict) -> dict[int, list[int]]:
    """The lists `news.related` computes for these articles under a variant of its text model
    (or its recency weight), in batches as the worker computes them; the model is restored."""
    from dataclasses import replace

    from news import related

    saved_model, saved_weights = related.TEXT_MODEL, related.WEIGHTS
    model = {k: v for k, v in variant.items() if k != "recency"}
    related.TEXT_MODEL = replace(saved_model, **model)
    if "recency" in variant:
        related.WEIGHTS = replace(saved_weights, recency=variant["recency"])
    try:
        lists = {}
        for start in range(0, len(article_ids), 200):
            batch = related.compute_lists(article_ids=article_ids[start : start + 200])
            lists.update({pk: [s.related_id for s in found] for pk, found in batch.items()})
        return lists
    finally:
        related.TEXT_MODEL, related.WEIGHTS = saved_model, saved_weights


def variants_precision(*, sample: list[int], labels: dict[int, int], copies=None) -> dict:
    """precision@5 of each text variant on the sample; with `copies` (article id → the story it
    copies, itself for an original), a story's own near-copy counts as a miss, and lists that
    show one are counted."""
    results = {}
    for name, variant in TEXT_VARIANTS.items():
        lists = lists_with(article_ids=sample, variant=variant)
        hits, own = [], 0
        for pk in sample:
            first = lists[pk][:5]
            mine = {p for p in first if copies and copies.get(p) == copies.get(pk)}
            own += bool(mine)
            hits.append(sum(labels.get(p) == labels[pk] and p not in mine for p in first) / 5)
        results[name] = {"precision_at_5": statistics.fmean(hits), "lists_with_own_copy": own}
    return results


def ag_quality() -> dict:
    """The AG sample with its near-copies (as `real` imports it), loaded set-wise and indexed
    as a publish indexes (headline entities included): each text variant, in this process."""
    from news import related
    from news.models import ArticlePage

    stories = ag_import_rows(rows=read_ag(ag_sample_path()), total=BULK_STORIES)
    loaded = [
        {"topic": s["label"], "title": s["title"], "dek": "", "paragraphs": [s["description"]],
         "tag": None, "author": None, "at": s["at"], "number": s["number"]}
        for s in stories
    ]  # fmt: skip
    labels = load_labeled_corpus(loaded)
    ids = sorted(labels)
    by_number = {story["number"]: story["pk"] for story in loaded}
    copies = {
        by_number[s["number"]]: by_number[s["number"] if s["copy_of"] is None else s["copy_of"]]
        for s in stories
    }
    for article in ArticlePage.objects.filter(pk__in=ids).specific():
        related.index_article(article=article)
    related.rebuild_lexeme_counts()
    originals = sorted(by_number[s["number"]] for s in stories if s["copy_of"] is None)
    return {
        "articles": len(ids),
        "sampled": len(originals),
        "variants": variants_precision(sample=originals, labels=labels, copies=copies),
    }


def quality() -> dict:
    from news import related
    from news.models import ArticlePage

    stories = labeled_corpus(count=QUALITY_ARTICLES)
    labels = load_labeled_corpus(stories)
    index_all_setwise()
    rng = random.Random(11)
    sample = rng.sample(sorted(labels), QUALITY_SAMPLE)
    variants = variants_precision(sample=sample, labels=labels)
    articles = ArticlePage.objects.in_bulk(sample)
    scores = {"scored": [], "tags_only": []}
    by_tagging = {True: {"scored": [], "tags_only": []}, False: {"scored": [], "tags_only": []}}
    for pk in sample:
        article = articles[pk]
        ours = [s.related_id for s in related.suggestions_for(article=article)[0]][:5]
        base = tags_only(article, limit=5)
        tagged = article.tags.exists()
        for name, picks in (("scored", ours), ("tags_only", base)):
            hit = sum(labels.get(p) == labels[pk] for p in picks) / 5
            scores[name].append(hit)
            by_tagging[tagged][name].append(hit)
    result = {
        "articles": len(labels),
        "sampled": len(sample),
        "topics": TOPIC_COUNT,
        "tagged_share": sum(1 for s in stories if s["tag"]) / len(stories),
        "precision_at_5": {name: statistics.fmean(v) for name, v in scores.items()},
        "precision_at_5_tagged": {n: statistics.fmean(v) for n, v in by_tagging[True].items()},
        "precision_at_5_untagged": {n: statistics.fmean(v) for n, v in by_tagging[False].items()},
        "variants": variants,
    }
    return result


# --- Growing the archive fast -------------------------------------------------------------

CLONE_SQL = """
CREATE OR REPLACE FUNCTION pg_temp.b36(n bigint) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT string_agg(substr('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
                             ((n / (36 ^ k)::bigint) %% 36)::int + 1, 1), '' ORDER BY k DESC)
    FROM generate_series(0, 3) AS k
$$;
CREATE TEMP TABLE clone_map ON COMMIT DROP AS
SELECT p.id AS old_id,
       nextval(pg_get_serial_sequence('wagtailcore_page', 'id')) AS new_id,
       parent.id AS parent_id, parent.path AS parent_path, parent.url_path AS parent_url,
       parent.numchild + row_number() OVER (PARTITION BY parent.id ORDER BY p.id) AS child_no
FROM (SELECT page_ptr_id FROM news_articlepage ORDER BY page_ptr_id LIMIT %(source)s) src
JOIN wagtailcore_page p ON p.id = src.page_ptr_id
JOIN wagtailcore_page parent ON parent.path = substr(p.path, 1, length(p.path) - 4)
ORDER BY p.id
LIMIT %(count)s;
INSERT INTO wagtailcore_page (id, path, depth, numchild, title, slug, live,
    has_unpublished_changes, url_path, seo_title, show_in_menus, search_description, expired,
    content_type_id, locked, latest_revision_created_at, first_published_at,
    last_published_at, draft_title, translation_key, locale_id)
SELECT m.new_id, m.parent_path || pg_temp.b36(m.child_no), p.depth, 0, p.title,
       left(p.slug, 200) || '-c' || m.new_id, true, false,
       m.parent_url || left(p.slug, 200) || '-c' || m.new_id || '/', '', false, '', false,
       p.content_type_id, false, p.first_published_at - %(shift)s,
       p.first_published_at - %(shift)s, p.first_published_at - %(shift)s, p.draft_title,
       gen_random_uuid(), p.locale_id
FROM clone_map m JOIN wagtailcore_page p ON p.id = m.old_id;
INSERT INTO news_articlepage (page_ptr_id, dek, body, source_url, is_aggregated, display_date,
    updated_at, canonical_url, reading_time_minutes, comments_enabled,
    lead_image_id, social_image_id, source_id)
SELECT m.new_id, a.dek, a.body, a.source_url, a.is_aggregated, NULL, NULL, a.canonical_url,
       a.reading_time_minutes, a.comments_enabled, a.lead_image_id, a.social_image_id,
       a.source_id
FROM clone_map m JOIN news_articlepage a ON a.page_ptr_id = m.old_id;
INSERT INTO news_articletag (content_object_id, tag_id)
SELECT m.new_id, t.tag_id FROM clone_map m JOIN news_articletag t ON t.content_object_id = m.old_id;
INSERT INTO news_articlebyline (page_id, profile_id, sort_order)
SELECT m.new_id, b.profile_id, b.sort_order
FROM clone_map m JOIN news_articlebyline b ON b.page_id = m.old_id;
UPDATE wagtailcore_page p SET numchild = p.numchild + c.added
FROM (SELECT parent_id, count(*) AS added FROM clone_map GROUP BY parent_id) c
WHERE p.id = c.parent_id;
"""


SHRINK_SQL = """
CREATE TEMP TABLE clones ON COMMIT DROP AS
SELECT page_ptr_id AS id FROM news_articlepage WHERE page_ptr_id > (
    SELECT page_ptr_id FROM news_articlepage ORDER BY page_ptr_id OFFSET %(keep)s - 1 LIMIT 1);
DELETE FROM news_relatedarticle
WHERE article_id IN (SELECT id FROM clones) OR related_id IN (SELECT id FROM clones);
DELETE FROM news_articleterms WHERE article_id IN (SELECT id FROM clones);
DELETE FROM news_articletag WHERE content_object_id IN (SELECT id FROM clones);
DELETE FROM news_articlebyline WHERE page_id IN (SELECT id FROM clones);
DELETE FROM news_articlepage WHERE page_ptr_id IN (SELECT id FROM clones);
DELETE FROM wagtailcore_page WHERE id IN (SELECT id FROM clones);
UPDATE wagtailcore_page p SET numchild = (
    SELECT count(*) FROM wagtailcore_page c WHERE c.path LIKE p.path || '____')
WHERE p.id IN (SELECT page_ptr_id FROM news_newsindexpage);
"""


def shrink_to(*, keep: int) -> None:
    """Drop the copies a previous run made, back to the `keep` seeded articles."""
    from django.db import connection, transaction

    from news.models import ArticlePage

    if ArticlePage.objects.count() <= keep:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 0")
        cursor.execute(SHRINK_SQL, {"keep": keep})


def grow_by_cloning(*, target: int, source: int) -> int:
    """Reach `target` published articles by copying the first `source` ones set-wise, each round
    dated one archive-span earlier (so the archive grows back in time, as a real one does).

    `seed_articles` makes about 30 articles a second; this makes thousands. The copies are
    real pages (tree paths, sections, tags, bylines), left out of Wagtail's search index.
    """
    from datetime import timedelta

    from django.db import connection, transaction

    from news.models import ArticlePage

    have = ArticlePage.objects.count()
    first = ArticlePage.objects.order_by("first_published_at").first().first_published_at
    last = ArticlePage.objects.order_by("-first_published_at").first().first_published_at
    span = (last - first) + timedelta(minutes=7)
    rounds = 0
    while have < target:
        count = min(source, target - have)
        rounds += 1
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute(CLONE_SQL, {"source": source, "count": count, "shift": span * rounds})
        have += count
    return have


# --- Speed ----------------------------------------------------------------------------------


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def reach(size: int) -> int:
    """Make the archive exactly `size` published articles: shrink a larger copy (the seeded
    100,000), or seed and grow a smaller one set-wise."""
    from news.models import ArticlePage

    have = ArticlePage.objects.count()
    if have > size:
        shrink_to(keep=size)
    elif have < size:
        have = harness.ensure_articles(min(size, SEEDED))
        if have < size:
            grow_by_cloning(target=size, source=SEEDED)
    return ArticlePage.objects.published().count()


def full_pass(*, batch_size: int, list_articles: int | None) -> dict:
    """The nightly pass in this process, batch after batch, as one worker runs the chain of
    `news.recompute_all_related` tasks: seconds per phase, batches, peak memory. The lists phase
    stops after `list_articles` articles when given (its total is then extrapolated)."""
    from django.db import connection, reset_queries

    from news import related
    from news.models import RelatedPass

    RelatedPass.objects.filter(pk=1).delete()  # a fresh pass, not the rest of an earlier one
    step = related.start_or_resume_pass()
    seconds = {"index": 0.0, "lists": 0.0}
    batches = {"index": 0, "lists": 0}
    queries_per_batch = []
    rss_before = _current_rss_mb()
    connection.force_debug_cursor = True
    while step is not None:
        reset_queries()
        started = time.perf_counter()
        following = related.run_pass_batch(step=step, batch_size=batch_size)
        seconds[step.phase] += time.perf_counter() - started
        batches[step.phase] += 1
        if step.phase == "lists":
            queries_per_batch.append(len(connection.queries))
            if list_articles and batches["lists"] * batch_size >= list_articles:
                break
        step = following
    connection.force_debug_cursor = False
    return {
        "lists_articles": min(batches["lists"] * batch_size, list_articles or 10**9),
        "index_s": seconds["index"],
        "lists_s": seconds["lists"],
        "batches": batches,
        "queries_per_lists_batch": statistics.median(queries_per_batch or [0]),
        "rss_before_mb": rss_before,
        "peak_rss_mb": _rss_mb(),
    }


def speed_at(size: int) -> dict:
    from django.db import connection

    from news import related
    from news.models import ArticlePage, RelatedArticle
    from news.tasks import NIGHTLY_BATCH

    have = reach(size)
    index_seconds = index_all_setwise()
    ids = list(ArticlePage.objects.published().order_by("pk").values_list("pk", flat=True))
    rng = random.Random(size)

    incremental, fanout_sizes, fanout_ms = [], [], []
    for pk in rng.sample(ids, INCREMENTAL_SAMPLE + 3):
        started = time.perf_counter()
        neighbours = related.refresh_article(article_id=pk)
        incremental.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        related.recompute_lists(article_ids=neighbours)
        fanout_ms.append((time.perf_counter() - started) * 1000)
        fanout_sizes.append(len(neighbours))
    incremental, fanout_ms, fanout_sizes = incremental[3:], fanout_ms[3:], fanout_sizes[3:]

    # One list at a time (the incremental path, a batch of one), on a sample, for the ratio.
    one_ids = rng.sample(ids, ONE_AT_A_TIME_SAMPLE)
    started = time.perf_counter()
    for pk in one_ids:
        related.recompute_list(article_id=pk)
    one_ms = (time.perf_counter() - started) * 1000 / len(one_ids)

    limit = int(os.environ.get("BENCH_RELATED_LIST_ARTICLES", "0")) or None
    full = full_pass(
        batch_size=NIGHTLY_BATCH, list_articles=limit if limit and limit < have else None
    )
    measured = min(full["lists_articles"], have)
    per_article_ms = full["lists_s"] * 1000 / measured
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size('news_relatedarticle')")
        table_bytes = cursor.fetchone()[0]
    return {
        "articles": have,
        "index_build_s": index_seconds,
        "incremental_ms": harness.latency_stats(incremental),
        "fanout_lists": statistics.fmean(fanout_sizes),
        "fanout_ms": harness.latency_stats(fanout_ms),
        "one_at_a_time_ms_per_article": one_ms,
        "one_at_a_time_sample": len(one_ids),
        "batch_size": NIGHTLY_BATCH,
        "full_per_article_ms": per_article_ms,
        "full_lists_measured_articles": measured,
        "full_lists_extrapolated": measured < have,
        "full_lists_min": per_article_ms * have / 60000,
        "full_index_min": full["index_s"] / 60,
        "full_total_min": per_article_ms * have / 60000 + full["index_s"] / 60,
        "full_batches": full["batches"],
        "full_queries_per_batch": full["queries_per_lists_batch"],
        "batched_speedup": one_ms / per_article_ms,
        "peak_rss_mb": full["peak_rss_mb"],
        "rss_before_pass_mb": full["rss_before_mb"],
        "related_rows": RelatedArticle.objects.count(),
        "related_table_mb": table_bytes / 2**20,
        "load_average": os.getloadavg(),
    }


def speed() -> dict:
    size = int(os.environ["MASTHEAD_RELATED_SIZE"])
    return {str(size): speed_at(size)}


# --- Real news: the AG sample through the importer, the worker and the page ---------------

AG_SAMPLE_NAME = "ag-news-sample.csv"
AG_CLASSES = {1: "World", 2: "Sports", 3: "Business", 4: "Sci/Tech"}
BULK_STORIES = 1000
"""A bulk import of this many stories: the AG sample, then wire-style near-copies of its rows."""
SINGLE_PUBLISHES = 5
SUGGESTIONS_TIMEOUT = 900.0
WORKER_CONCURRENCY = "2"
"""The worker `make run` starts (scripts/run.py)."""


def ag_sample_path() -> Path:
    """`BENCH_AG_SAMPLE`, else the shared data folder beside the checkout (or its worktrees')."""
    if os.environ.get("BENCH_AG_SAMPLE"):
        return Path(os.environ["BENCH_AG_SAMPLE"])
    for folder in (harness.ROOT.parent, harness.ROOT.parent.parent):
        if (folder / "shared" / "data" / AG_SAMPLE_NAME).exists():
            return folder / "shared" / "data" / AG_SAMPLE_NAME
    raise SystemExit(f"{AG_SAMPLE_NAME} not found: set BENCH_AG_SAMPLE to its path.")


def _clean_ag(text: str) -> str:
    """AG's texts carry escaped line breaks and half-decoded entities: what an archive looks
    like after a careless export, cleaned the way an importer's preparation script would."""
    text = text.replace("\\", " ").replace("#39;", "'").replace("quot;", '"')
    text = re.sub(r"&lt;[^&]*&gt;|<[^>]+>", " ", text).replace("&amp;", "&")
    return re.sub(r"\s+", " ", text).strip()


def read_ag(path: Path) -> list[dict]:
    """AG rows as {label, title, description}, in file order."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {"label": int(label), "title": _clean_ag(title), "description": _clean_ag(text)}
            for label, title, text in csv.reader(handle)
        ]


def near_copy(row: dict, *, number: int, rng: random.Random) -> dict:
    """A wire service's rewrite of a story: a prefixed or re-sourced headline, the same lead
    with a sentence added or the agency changed."""
    title, text = row["title"], row["description"]
    title = rng.choice(["UPDATE 1-", "UPDATE 2-", "REFILE-", ""]) + re.sub(
        r"\s*\((Reuters|AP|AFP|Reuters\.com)\)\s*$", "", title
    )
    text = re.sub(r"^(Reuters|AP|AFP)\s*-\s*", "", text)
    text = rng.choice(["", "LONDON - ", "NEW YORK - ", "WASHINGTON - "]) + text
    text += rng.choice(
        ["", " More details were expected later.", " Officials declined to comment."]
    )
    return {"label": row["label"], "title": title or row["title"], "description": text,
            "copy_of": number}  # fmt: skip


def ag_import_rows(*, rows: list[dict], total: int, seed: int = 23) -> list[dict]:
    """The stories of a bulk import: every AG row, then near-copies of random ones up to
    `total`, dated over two weeks (a copy a few hours after its original)."""
    from datetime import timedelta

    from django.utils import timezone

    rng = random.Random(seed)
    newest = timezone.now() - timedelta(hours=1)
    stories = []
    for number, row in enumerate(rows):
        at = newest - timedelta(minutes=rng.randrange(14 * 24 * 60))
        stories.append({**row, "number": number, "copy_of": None, "at": at})
    while len(stories) < total:
        number = rng.randrange(len(rows))
        copy = near_copy(rows[number], number=number, rng=rng)
        at = min(stories[number]["at"] + timedelta(minutes=rng.randrange(5, 360)), newest)
        stories.append({**copy, "number": len(stories), "at": at})
    return stories


def write_import_csv(stories: list[dict], path: Path) -> None:
    """The archive as `import_articles` reads it: no tags, no authors, no section."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "title", "body", "published_at"])
        writer.writeheader()
        for story in stories:
            writer.writerow(
                {
                    "id": f"ag-{story['number']}",
                    "title": story["title"][:255],
                    "body": story["description"],
                    "published_at": story["at"].isoformat(),
                }
            )


def articles_without_suggestions() -> int:
    from news.models import ArticlePage

    return ArticlePage.objects.published().exclude(related_links__isnull=False).count()


def _queued() -> int:
    """Messages waiting or being worked on, over every queue (acks are late: in-flight ones
    sit in the broker's `unacked` hash until done)."""
    from config.celery import app

    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        return sum(client.llen(q) for q in ("default", "bulk", "realtime")) + client.hlen("unacked")


def wait_for_suggestions(*, started: float, timeout: float) -> dict:
    """Seconds from `started` until every published article has suggestions, and until the
    worker has nothing left to do (lists still being refined until then)."""
    every, settled, calm = None, None, 0
    while time.perf_counter() - started < timeout:
        missing = articles_without_suggestions()
        if missing == 0 and every is None:
            every = time.perf_counter() - started
        calm = calm + 1 if _queued() == 0 else 0
        if every is not None and calm >= 3:
            settled = time.perf_counter() - started
            break
        time.sleep(1.0)
    return {"every_article_s": every, "worker_idle_s": settled,
            "missing_at_end": articles_without_suggestions()}  # fmt: skip


def single_publish_seconds(*, stories: list[dict], rng: random.Random) -> list[float]:
    """Seconds from an editor's publish (a revision, as the admin does) to the story having
    suggestions, for a few new stories (each a headline and lead of the same topic)."""
    from news.factories import paragraphs
    from news.models import ArticlePage, NewsIndexPage

    parent = NewsIndexPage.objects.live().filter(depth=3).order_by("path").first()
    seconds = []
    for _ in range(SINGLE_PUBLISHES):
        first, second = rng.sample([s for s in stories if s["copy_of"] is None], 2)
        article = ArticlePage(title=f"{first['title']} (follow-up)", dek="",
                              body=paragraphs([first["description"], second["description"]]))  # fmt: skip
        parent.add_child(instance=article)
        article.save_revision().publish()
        started = time.perf_counter()
        while not article.related_links.exists():
            if time.perf_counter() - started > 120:
                break
            time.sleep(0.05)
        seconds.append(time.perf_counter() - started)
        time.sleep(1.0)
    return seconds


CONTINUE_SECTION = re.compile(r'<section class="continue".*?</section>', re.S)
CARD_LINK = re.compile(r'<a[^>]+href="([^"]+)"')


def continue_reading_paths(html: str) -> list[str]:
    """The story addresses under "Continue reading" on a rendered article page, in order."""
    section = CONTINUE_SECTION.search(html)
    if section is None:
        return []
    return list(dict.fromkeys(CARD_LINK.findall(section.group(0))))


def page_precision(*, base: str, stories: list[dict]) -> dict:
    """precision@5 read off the public pages: for each original AG story, the first five
    stories under "Continue reading" with the same AG class (a missing one is a miss). Its own
    near-copy counts as a miss too (a reader has just read it), and is counted."""
    import urllib.request

    from news.models import ArticlePage

    by_key = {f"ag-{s['number']}": s for s in stories}
    pages = {
        page.import_key: page.get_url_parts()[2]
        for page in ArticlePage.objects.published().filter(import_key__startswith="ag-")
    }
    story_at = {path: by_key[key] for key, path in pages.items()}
    hits, own_copies, copy_pairs, by_class = [], 0, 0, defaultdict(list)
    for story in stories:
        if story["copy_of"] is not None:
            continue
        path = pages[f"ag-{story['number']}"]
        with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310 - loopback
            shown = [
                story_at.get(urlsplit(p).path)
                for p in continue_reading_paths(response.read().decode())
            ]
        first = shown[:5]
        copies = [s for s in first if s is not None and s["copy_of"] == story["number"]]
        own_copies += bool(copies)
        originals = [s["number"] if s["copy_of"] is None else s["copy_of"] for s in first if s]
        copy_pairs += len(originals) - len(set(originals))
        hit = sum(1 for s in first if s and s["label"] == story["label"] and s not in copies) / 5
        hits.append(hit)
        by_class[AG_CLASSES[story["label"]]].append(hit)
    return {
        "stories": len(hits),
        "precision_at_5": statistics.fmean(hits),
        "by_class": {name: statistics.fmean(v) for name, v in sorted(by_class.items())},
        "lists_with_own_copy": own_copies,
        "lists_with_two_copies_of_one_story": copy_pairs,
    }


def real() -> dict:
    """The AG sample as a bulk import through `import_articles` (no tags, no authors), the real
    worker and beat computing lists, precision@5 read off the pages, time-to-suggestions."""
    import tempfile

    from django.core.management import call_command

    from news.models import ArticlePage

    call_command("seed_demo", articles=0, verbosity=0)
    stories = ag_import_rows(rows=read_ag(ag_sample_path()), total=BULK_STORIES)
    worker = harness.celery("worker", "--concurrency", WORKER_CONCURRENCY,
                            log_name="related-real-worker.log")  # fmt: skip
    beat = harness.celery("beat", "--schedule", str(harness.RESULTS / "related-real-beat"),
                          log_name="related-real-beat.log")  # fmt: skip
    try:
        time.sleep(5)  # the worker is up and consuming before the import starts
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "ag-news.csv"
            write_import_csv(stories, path)
            started = time.perf_counter()
            call_command("import_articles", str(path), verbosity=0, stdout=io.StringIO())
            import_s = time.perf_counter() - started
        finished = time.perf_counter()
        waited = wait_for_suggestions(started=finished, timeout=SUGGESTIONS_TIMEOUT)
        with harness.gunicorn(workers=2) as base:
            precision = page_precision(base=base, stories=stories)
        single = single_publish_seconds(stories=stories, rng=random.Random(5))
    finally:
        for process in (beat, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
    return {
        "imported": ArticlePage.objects.filter(import_key__startswith="ag-").count(),
        "originals": sum(1 for s in stories if s["copy_of"] is None),
        "near_copies": sum(1 for s in stories if s["copy_of"] is not None),
        "import_s": import_s,
        **waited,
        "single_publish_s": single,
        **precision,
        "load_average": os.getloadavg(),
    }


# --- Running --------------------------------------------------------------------------------


def _renamed(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + suffix))


def _database_url() -> str:
    return os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/masthead")


def _admin(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        urlunsplit(parts._replace(path="/postgres", scheme="postgresql")), autocommit=True
    )


def _drop_database(url: str) -> None:
    with _admin(url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}" WITH (FORCE)')


def _copy_seed_if_missing(url: str) -> None:
    """Start a speed database as a copy of the seeded archive (if the machine has one)."""
    name = urlsplit(url).path.lstrip("/")
    with _admin(url) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        seeded = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [SEED_DATABASE]
        ).fetchone()
        if exists or not seeded:
            return
        print(f"[bench] copying {SEED_DATABASE} into {name}…", flush=True)
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{SEED_DATABASE}"')


def _speed_database_url(size: int) -> str:
    """100,000 articles in the usual benchmark database; smaller archives in their own."""
    if size >= max(SPEED_SIZES):
        return _database_url()
    return _renamed(_database_url(), f"_{size // 1000}k")


def _run_part(part: str, *, size: int | None = None) -> dict:
    """Each part in its own process and database (quality gets a fresh one every run)."""
    label = part if size is None else f"{part}-{size}"
    env = {**os.environ, "MASTHEAD_RELATED_PART_OUT": f"{harness.RESULTS}/related-{label}.tmp"}
    env.pop("MASTHEAD_BENCH_READY", None)
    if part in ("quality", "ag", "real"):
        env["DATABASE_URL"] = _renamed(_database_url(), f"_rel{part}")
        _drop_database(harness.bench_database_url(env["DATABASE_URL"]))
    else:
        env["DATABASE_URL"] = _speed_database_url(size)
        env["MASTHEAD_RELATED_SIZE"] = str(size)
        _copy_seed_if_missing(harness.bench_database_url(env["DATABASE_URL"]))
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "bench.related", part], env=env, check=True)
    path = env["MASTHEAD_RELATED_PART_OUT"]
    with open(path) as handle:
        result = json.load(handle)
    os.unlink(path)
    return result


def _part_in_this_process(part: str) -> None:
    harness.setup_django()
    result = {"quality": quality, "ag": ag_quality, "real": real, "speed": speed}[part]()
    with open(os.environ["MASTHEAD_RELATED_PART_OUT"], "w") as handle:
        json.dump(result, handle)


def report(results: dict) -> None:
    if "quality" in results:
        q = results["quality"]
        harness.print_table(
            f"Quality: precision@5 on {q['articles']} labeled stories, {q['topics']} topics, "
            f"{q['tagged_share']:.0%} tagged ({q['sampled']} sampled)",
            [
                {
                    "ranking": name,
                    "all": q["precision_at_5"][name],
                    "tagged stories": q["precision_at_5_tagged"][name],
                    "untagged stories": q["precision_at_5_untagged"][name],
                }
                for name in ("scored", "tags_only")
            ],
        )
    if "quality" in results and "ag" in results and "variants" in results["quality"]:
        synthetic, ag = results["quality"]["variants"], results["ag"]["variants"]
        harness.print_table(
            "Each change to the text model, precision@5 on both corpora (computed in-process;"
            " AG: a story's own near-copy counts as a miss)",
            [
                {
                    "text model": name,
                    "synthetic": synthetic[name]["precision_at_5"],
                    "AG": ag[name]["precision_at_5"],
                    "AG lists showing own copy": ag[name]["lists_with_own_copy"],
                }
                for name in synthetic
                if name in ag
            ],
        )
    if "real" in results:
        r = results["real"]
        harness.print_table(
            f"Real news: precision@5 read off the pages, {r['stories']} AG stories imported "
            f"untagged with {r['near_copies']} near-copies ({r['imported']} in all)",
            [
                {
                    "all": r["precision_at_5"],
                    **r["by_class"],
                    "lists showing own copy": r["lists_with_own_copy"],
                    "two copies of one story": r["lists_with_two_copies_of_one_story"],
                }
            ],
        )
        single = r["single_publish_s"]
        harness.print_table(
            f"Time to suggestions (worker concurrency {WORKER_CONCURRENCY}, with beat)",
            [
                {
                    "import s": r["import_s"],
                    "every article has suggestions, s after import": r["every_article_s"],
                    "worker idle, s after import": r["worker_idle_s"],
                    "missing at end": r["missing_at_end"],
                    "single publish median s": statistics.median(single),
                    "single publish max s": max(single),
                    "load avg": r["load_average"][0],
                }
            ],
        )
    if "speed" in results:
        rows = []
        for size, s in results["speed"].items():
            rows.append(
                {
                    "articles": int(size),
                    "publish p50 ms": s["incremental_ms"]["p50_ms"],
                    "publish p95 ms": s["incremental_ms"]["p95_ms"],
                    "fan-out lists": s["fanout_lists"],
                    "fan-out p50 ms": s["fanout_ms"]["p50_ms"],
                    "one-by-one ms/article": s["one_at_a_time_ms_per_article"],
                    "full ms/article": s["full_per_article_ms"],
                    "batched ×": s["batched_speedup"],
                    "lists min": s["full_lists_min"],
                    "lists measured on": s["full_lists_measured_articles"],
                    "index min": s["full_index_min"],
                    "full min": s["full_total_min"],
                    "SQL/batch": s["full_queries_per_batch"],
                    "peak RSS MB": s["peak_rss_mb"],
                    "load avg": s["load_average"][0],
                }
            )
        batch = next(iter(results["speed"].values()))["batch_size"]
        harness.print_table(
            "Speed: incremental publish, and the whole nightly pass actually run"
            f" (one worker, batches of {batch})",
            rows,
        )
        sizes = sorted(results["speed"], key=int)
        if len(sizes) == 2:
            small, large = (results["speed"][n] for n in sizes)
            growth = {
                "articles ×": large["articles"] / small["articles"],
                "publish p50 ×": large["incremental_ms"]["p50_ms"]
                / small["incremental_ms"]["p50_ms"],
                "full per-article ×": large["full_per_article_ms"] / small["full_per_article_ms"],
                "full total ×": large["full_total_min"] / small["full_total_min"],
                "peak RSS ×": large["peak_rss_mb"] / small["peak_rss_mb"],
            }
            results["growth"] = growth
            harness.print_table("Growth from the smaller to the larger archive", [growth])


def main(parts: list[str] | None = None) -> None:
    parts = parts or ["quality", "ag", "real", "speed"]
    results = {}
    for part in parts:
        if part == "speed":
            results[part] = {}
            for size in SPEED_SIZES:
                results[part].update(_run_part(part, size=size))
        else:
            results[part] = _run_part(part)
    previous = harness.RESULTS / "related.json"
    if previous.exists():  # a one-part run keeps the other part's last figures
        kept = json.loads(previous.read_text())
        results = {
            **{k: kept[k] for k in ("quality", "ag", "real", "speed") if k in kept},
            **results,
        }
    report(results)
    harness.write_results("related", results)


if __name__ == "__main__":
    if os.environ.get("MASTHEAD_RELATED_PART_OUT"):
        _part_in_this_process(sys.argv[1])
    else:
        main(sys.argv[1:] or None)
