"""Flushing one million buffered views across 100,000 articles: time, peak memory and SQL
statements, with an exact check that every view arrived once.

    python -m bench.flush            (or: make bench ARGS=flush)
"""

import os
import random
import resource
import time
import tracemalloc
from collections import Counter

from bench import harness

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
VIEWS = int(os.environ.get("BENCH_VIEWS", "1000000"))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    harness.setup_django()
    harness.ensure_articles(ARTICLES)

    from django.db import connection
    from django.db.models import Sum

    from news.models import ArticlePage
    from ops.counters import counters
    from readership import counting
    from readership.models import ArticleDailyViews, ArticleTotalViews

    ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True)[:ARTICLES])
    rng = random.Random(7)
    # Every article read at least once, the rest skewed toward a few popular stories.
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(ids))]
    views = Counter(ids)
    views.update(rng.choices(ids, weights=weights, k=VIEWS - len(ids)))

    counting.flush_views()  # start from an empty buffer
    client = counters()

    def fill_buffer() -> None:
        pipe = client.pipeline(transaction=False)
        for n, (article, count) in enumerate(views.items()):
            pipe.hset(counting.BUFFER, article, count)
            if n % 10_000 == 9_999:
                pipe.execute()
        pipe.execute()

    def totals() -> tuple[int, int]:
        stored = (
            ArticleTotalViews.objects.filter(article_id__in=ids).aggregate(n=Sum("views"))["n"] or 0
        )
        daily = ArticleDailyViews.objects.filter(article_id__in=ids).aggregate(n=Sum("views"))
        return stored, daily["n"] or 0

    statements: list[str] = []

    def count_statements(execute, sql, params, many, context):
        statements.append(sql.split(None, 1)[0].upper())
        return execute(sql, params, many, context)

    # Run 1: timed, statements counted.
    fill_buffer()
    stored_before, daily_before = totals()
    started = time.perf_counter()
    with connection.execute_wrapper(count_statements):
        result = counting.flush_views()
    seconds = time.perf_counter() - started
    stored_after, daily_after = totals()

    # Run 2: the same batch again, under tracemalloc, for the flush's own peak memory.
    fill_buffer()
    tracemalloc.start()
    counting.flush_views()
    _, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    stored_twice, daily_twice = totals()
    exact = (
        stored_after - stored_before == VIEWS == daily_after - daily_before
        and stored_twice - stored_after == VIEWS == daily_twice - daily_after
    )

    chunks = -(-len(views) // counting.FLUSH_CHUNK)
    writes = sum(1 for verb in statements if verb in {"WITH", "INSERT", "UPDATE"})
    row = {
        "articles": len(views),
        "views": VIEWS,
        "seconds": seconds,
        "views/s": VIEWS / seconds,
        "chunks": chunks,
        "SQL statements": len(statements),
        "writes per chunk": writes / chunks,
        "flush peak heap MB": heap_peak / 2**20,
        "process peak RSS MB": rss_mb(),
        "exact": exact,
    }
    harness.print_table(
        f"Flush {VIEWS:,} views across {len(views):,} articles (chunks of {counting.FLUSH_CHUNK})",
        [row],
    )
    print("statement kinds:", dict(Counter(statements)))
    harness.write_results(
        "flush",
        {
            **row,
            "flush_result": result,
            "statement_kinds": dict(Counter(statements)),
            "stored_added": stored_after - stored_before,
            "daily_added": daily_after - daily_before,
        },
    )


if __name__ == "__main__":
    main()
