"""Search at 100,000 articles: the search page and autocomplete against a raw PostgreSQL
full-text query (GIN index, ts_rank, LIMIT 20) measured in the same run.

    python -m bench.search            # seeds the bench database on first run (minutes)
    BENCH_SEARCH_ARTICLES=20000 python -m bench.search

Prints tables and writes bench/results/search.json. Goals (issue 7): page p95 ≤ 3× raw,
autocomplete p95 ≤ 2× raw; fewer queries per search than bakerydemo's 41.
"""

import http.client
import os
import time
from urllib.parse import urlencode, urlsplit

from bench import harness

ARTICLES = int(os.environ.get("BENCH_SEARCH_ARTICLES", "100000"))
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "40"))
RARE_WORDS = ("quokka", "marmot")
RARE_ARTICLES = 8  # "quokka" in 8 stories, "marmot" in 3 of them

# One- and two-word queries by how many articles match (the seeded vocabulary is in
# news/bulk.py: a word of a topic appears in about a tenth of all stories).
QUERIES = {
    "common 1-word": "government",
    "common 2-word": "government officials",
    "mid 1-word": "glacier",
    "mid 2-word": "glacier wildfire",
    "rare 1-word": "quokka",
    "rare 2-word": "quokka marmot",
}
PREFIXES = {
    "common 1-word": "gov",
    "common 2-word": "government off",
    "mid 1-word": "glac",
    "mid 2-word": "glacier wild",
    "rare 1-word": "quok",
    "rare 2-word": "quokka marm",
}

RAW_TABLE = "bench_search_raw"
RAW_QUERY = f"""
    SELECT id, ts_rank(document, query) AS rank
    FROM {RAW_TABLE}, plainto_tsquery('english', %s) AS query
    WHERE document @@ query
    ORDER BY rank DESC
    LIMIT 20
"""  # noqa: S608 - constant table name


def ensure_indexed_articles(count: int) -> int:
    """`count` published, indexed articles. The bulk seeder's own indexing loads each
    article's bylines one query at a time (authors are indexed since issue 7), so the bench
    seeds without it and indexes with `rebuild_search_index`, which prefetches them."""
    from unittest import mock

    from django.core.management import call_command

    from wagtail.search.backends.database.postgres.postgres import PostgresSearchBackend

    from news.models import ArticlePage

    if ArticlePage.objects.live().count() >= count:
        return ArticlePage.objects.live().count()
    with mock.patch.object(PostgresSearchBackend, "add_bulk", lambda *args, **kwargs: None):
        harness.ensure_articles(count)
    started = time.perf_counter()
    call_command("rebuild_search_index", "--batch-size", "1000")
    print(f"[bench] indexed in {time.perf_counter() - started:.0f} s", flush=True)
    return ArticlePage.objects.live().count()


def plant_rare_articles() -> list[float]:
    """Publish a few stories through Wagtail's page API (the admin's path), timing each
    publish including its on-commit search-index update. Returns the publish times (ms)."""
    from news.factories import ArticlePageFactory, paragraphs
    from news.models import ArticlePage, NewsIndexPage
    from search.indexing import update_article_index

    planted = ArticlePage.objects.filter(title__startswith="Quokka")
    if planted.exists():
        for article_id in planted.values_list("pk", flat=True):
            update_article_index(article_id)  # the worker's task; no worker runs in the bench
        return []
    section = NewsIndexPage.objects.order_by("-depth", "path").first()
    timings = []
    for n in range(RARE_ARTICLES):
        words = "quokka marmot" if n < 3 else "quokka"
        article = ArticlePageFactory.build(
            title=f"Quokka sighting number {n}",
            dek="A surprise visitor at the zoo.",
            body=paragraphs([f"Keepers spotted a {words} near the enclosure."]),
            live=False,
        )
        section.add_child(instance=article)
        started = time.perf_counter()
        article.save_revision().publish()
        timings.append((time.perf_counter() - started) * 1000)
        update_article_index(article.pk)
    return timings


def republish_latency(*, repeat: int = 8) -> dict[str, float]:
    """What an editor's "Publish" costs in the request at this size: a new revision of a live
    article published through Wagtail's page API, committed, on-commit work included (that is
    where a synchronous index update runs). The content is unchanged, so runs are comparable."""
    from django.db import transaction

    from news.models import ArticlePage

    articles = list(ArticlePage.objects.live().order_by("-pk")[: repeat + 2])
    it = iter(articles)

    def publish():
        article = next(it)
        with transaction.atomic():
            article.save_revision().publish()

    return harness.time_calls(publish, repeat=repeat, warmup=2)


def index_update_costs() -> dict[str, dict[str, float]]:
    """What one article's index update costs at this size, and its title-norm refresh."""
    from wagtail.search.backends import get_search_backend

    from news.models import ArticlePage

    backend = get_search_backend()
    index = backend.get_index_for_model(ArticlePage)
    articles = list(ArticlePage.objects.order_by("-pk")[:20])
    it = iter(articles * 2)
    return {
        "index one article (ms)": harness.time_calls(
            lambda: backend.add(next(it)), repeat=15, warmup=2
        ),
        "of which title-norm refresh (ms)": harness.time_calls(
            index._refresh_title_norms, repeat=15, warmup=2
        ),
    }


def build_raw_table() -> None:
    """The baseline: the same documents (headline || rest, same weights) in a bare table
    with a GIN index."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from news.models import ArticlePage

    content_type = ContentType.objects.get_for_model(ArticlePage)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {RAW_TABLE}")
        cursor.execute(
            f"CREATE TABLE {RAW_TABLE} AS SELECT object_id::bigint AS id, "  # noqa: S608
            "title || body AS document FROM wagtailsearch_indexentry "
            "WHERE content_type_id = %s",
            [content_type.pk],
        )
        cursor.execute(f"CREATE INDEX ON {RAW_TABLE} USING gin (document)")
        cursor.execute(f"ANALYZE {RAW_TABLE}")
        cursor.execute("ANALYZE")


def raw_latency(text: str) -> dict[str, float]:
    from django.db import connection

    def run():
        with connection.cursor() as cursor:
            cursor.execute(RAW_QUERY, [text])
            cursor.fetchall()

    return harness.time_calls(run, repeat=REPEAT)


def match_count(text: str) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {RAW_TABLE} WHERE document @@ plainto_tsquery('english', %s)",  # noqa: S608
            [text],
        )
        return cursor.fetchone()[0]


def backend_latency(text: str) -> dict[str, float]:
    """The search query alone (first 20 results + count), in this process."""
    from search.query import ArticleFilters, clean_query, search_articles

    def run():
        results = search_articles(clean_query(text), ArticleFilters())
        list(results[:20])
        results.count()

    return harness.time_calls(run, repeat=REPEAT)


def view_latency(path: str, params: dict, *, before=None) -> dict[str, float]:
    """The view as Django serves it (URL routing, every middleware, template), in this
    process on the raw query's connection: the same footing as `raw_latency`, without the
    HTTP round trip and gunicorn, which `http_latency` measures on top."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")

    def run():
        response = client.get(path, params)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    with harness.plain_storages():
        return harness.time_calls(run, repeat=REPEAT, before=before)


def http_latency(base_url: str, path: str, params: dict, *, before=None) -> dict[str, float]:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    target = f"{path}?{urlencode(params)}"
    samples = []
    for i in range(REPEAT + 3):
        if before:
            before()
        started = time.perf_counter()
        conn.request("GET", target)
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{target} answered {response.status}")
        if i >= 3:
            samples.append(elapsed)
    conn.close()
    return harness.latency_stats(samples)


def queries_per_request(path: str, params: dict) -> tuple[int, int]:
    """(queries, writes) for one request, after a warm-up request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    with harness.plain_storages():
        client.get(path, params)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path, params).status_code == 200
    writes = [
        q
        for q in captured.captured_queries
        if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))
    ]
    return len(captured.captured_queries), len(writes)


def clear_rate_limit() -> None:
    from ops.counters import counters

    keys = list(counters().scan_iter(match="rl:autocomplete:*"))
    if keys:
        counters().delete(*keys)


def main() -> None:
    harness.setup_django()
    count = ensure_indexed_articles(ARTICLES)
    publish_ms = plant_rare_articles()
    build_raw_table()
    update_costs = index_update_costs()
    republish = republish_latency()

    rows, payload_rows = [], []
    with harness.gunicorn(workers=1) as url:
        for label, text in QUERIES.items():
            raw = raw_latency(text)
            raw_prefix = raw_latency(PREFIXES[label])
            backend = backend_latency(text)
            page_view = view_latency("/search/", {"q": text})
            auto_view = view_latency(
                "/search/autocomplete/", {"q": PREFIXES[label]}, before=clear_rate_limit
            )
            page = http_latency(url, "/search/", {"q": text})
            auto = http_latency(
                url, "/search/autocomplete/", {"q": PREFIXES[label]}, before=clear_rate_limit
            )
            floor = http_latency(url, "/livez/", {})
            row = {
                "query": f"{label}: {text}",
                "matches": match_count(text),
                "raw p50": raw["p50_ms"],
                "raw p95": raw["p95_ms"],
                "search query p95": backend["p95_ms"],
                "page view p50": page_view["p50_ms"],
                "page view p95": page_view["p95_ms"],
                "page view/raw p95": page_view["p95_ms"] / raw["p95_ms"],
                "page http p95": page["p95_ms"],
                "page http/raw p95": page["p95_ms"] / raw["p95_ms"],
                "auto view p50": auto_view["p50_ms"],
                "auto view p95": auto_view["p95_ms"],
                "auto view/raw p95": auto_view["p95_ms"] / raw["p95_ms"],
                "auto http p95": auto["p95_ms"],
                "/livez/ http p95": floor["p95_ms"],
            }
            rows.append(row)
            payload_rows.append(
                {
                    **row,
                    "raw": raw,
                    "raw_prefix_words": raw_prefix,
                    "search_query": backend,
                    "page_view": page_view,
                    "page_http": page,
                    "autocomplete_view": auto_view,
                    "autocomplete_http": auto,
                    "livez_http": floor,
                    "autocomplete_prefix": PREFIXES[label],
                }
            )
        throughput = harness.load(
            f"{url}/search/?{urlencode({'q': QUERIES['mid 2-word']})}", seconds=8, connections=8
        )

    page_queries, page_writes = queries_per_request("/search/", {"q": QUERIES["common 2-word"]})
    auto_queries, _ = queries_per_request("/search/autocomplete/", {"q": "glac"})

    harness.print_table(
        f"Search at {count:,} articles (ms; gunicorn ×1 sync, sequential requests, "
        f"{REPEAT} samples)",
        rows,
    )
    harness.print_table(
        "Per request",
        [
            {
                "what": "search page",
                "queries": page_queries,
                "writes": page_writes,
                "req/s (8 connections)": throughput.requests_per_second,
                "bakerydemo": "41 queries, 1 UPDATE, ≈48 req/s",
            },
            {"what": "autocomplete", "queries": auto_queries, "writes": 0},
        ],
    )
    harness.print_table(
        "Index updates (in-process, ms)",
        [
            {"what": what, "p50": stats["p50_ms"], "p95": stats["p95_ms"]}
            for what, stats in update_costs.items()
        ]
        + [
            {
                "what": "republish a live article (request: revision, publish, commit, on-commit)",
                "p50": republish["p50_ms"],
                "p95": republish["p95_ms"],
            }
        ]
        + (
            [
                {
                    "what": "publish via page API incl. on-commit index update",
                    "p50": harness.latency_stats(publish_ms)["p50_ms"],
                    "p95": harness.latency_stats(publish_ms)["p95_ms"],
                }
            ]
            if publish_ms
            else []
        ),
    )
    harness.write_results(
        "search",
        {
            "articles": count,
            "rows": payload_rows,
            "page_queries": page_queries,
            "page_writes": page_writes,
            "autocomplete_queries": auto_queries,
            "page_throughput": throughput,
            "index_update": update_costs,
            "republish_ms": republish,
            "publish_ms": publish_ms,
            "goals": {"page_p95_over_raw": 3.0, "autocomplete_p95_over_raw": 2.0},
        },
    )


if __name__ == "__main__":
    main()
