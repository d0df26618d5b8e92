"""Reader pages under load, against the minimal view measured in the same run.

For each scale (BENCH_ARTICLES, default "10000,100000"; the database grows to each in turn) it
seeds the articles, counts each page's SQL queries in-process on a cold page cache, starts
gunicorn (DEBUG off, sync workers) on loopback and drives every scenario with wrk:

- /livez/, the minimal Django view: the ceiling, and the denominator of every ratio;
- the article page with the page cache warm, and cold (a query parameter the cache does not
  know makes every request render: renditions and Wagtail's site cache stay warm, as after a
  purge), plus the cold article over a single connection (its latency must not grow with scale);
  the article shows its "Continue reading" cards, computed as the worker would;
- home, news index page 1 and page 50, a tag page, an author page, search and the section's RSS
  feed, all rendered on every request (scenarios whose URL is missing are skipped);
- the view beacon as the article page's script sends it (a form post of the article's signed
  token from this origin); a repeat visitor, so it measures the endpoint, not the flush;
- peak RSS of each web worker and of a Celery worker purging pages while the server is loaded;
- sync ×2 against gthread 2×2 on the cached and cold article, for choosing the worker class;
- with BENCH_REFERENCE_URL set, the cold article against that page of another server (the
  issue's yardstick is bakerydemo's blog page; bench/README.md sets it up), in alternating
  rounds, so both meet the same machine and the ratio holds where absolute figures drift.

Environment: BENCH_ARTICLES, BENCH_SECONDS (per scenario, default 8), BENCH_CONNECTIONS (16),
BENCH_REFERENCE_URL (unset: no comparison).
Results: bench/results/pages-<articles>.json.
"""

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlencode

from bench import harness
from bench.beacon import BROWSER_UA

COLD = "bench=cold"  # an unknown query parameter: the page cache neither answers nor stores


@dataclass
class Scenario:
    name: str
    path: str | None
    cached: bool = False
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    queries: int | None = None
    note: str = ""
    result: "harness.LoadResult | None" = field(default=None, repr=False)

    @property
    def url_path(self) -> str:
        if self.cached or self.method != "GET":
            return self.path
        return self.path + ("&" if "?" in self.path else "?") + COLD


def scales() -> list[int]:
    return [int(n) for n in os.environ.get("BENCH_ARTICLES", "10000,100000").split(",") if n]


def seconds() -> int:
    return int(os.environ.get("BENCH_SECONDS", "8"))


def connections() -> int:
    return int(os.environ.get("BENCH_CONNECTIONS", "16"))


# --- Choosing the pages ----------------------------------------------------------------------


def page_path(page) -> str:
    return page.get_url_parts()[2]


def beacon_request(article_id: int) -> tuple[str, dict[str, str], str]:
    """What an article page's script sends: a form post with the article's signed token, from
    this site, by a browser (see bench/beacon.py and readership/views.py)."""
    from django.urls import reverse

    from readership.counting import view_token

    headers = {
        "Sec-Fetch-Site": "same-origin",
        "User-Agent": BROWSER_UA,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    return reverse("readership:view"), headers, urlencode({"token": view_token(article_id)})


def build_scenarios():
    from news.models import ArticlePage, NewsIndexPage

    articles = ArticlePage.objects.published().newest_first()
    article = articles[min(500, articles.count() - 1)]
    print(
        f"[bench] {page_path(article)}: {harness.store_continue_reading(article)} Continue reading cards"
    )
    index = NewsIndexPage.objects.live().filter(depth=3).first()
    tag = article.tags.first()
    byline = article.bylines.select_related("profile").first()
    index_path = page_path(index)
    beacon_path, beacon_headers, beacon_body = beacon_request(article.pk)
    feed = f"{index_path}feed/"
    return article, [
        Scenario("article, cache warm", page_path(article), cached=True),
        Scenario("article, cache cold", page_path(article)),
        Scenario("home", "/"),
        Scenario("news index p1", index_path),
        Scenario("news index p50", f"{index_path}?page=50"),
        Scenario("tag page", f"{index_path}tag/{tag.slug}/" if tag else None),
        Scenario("author page", page_path(byline.profile) if byline else None),
        Scenario("search", "/search/?q=flood+council"),
        Scenario("feed", feed),
        Scenario(
            "view beacon",
            beacon_path,
            method="POST",
            headers=beacon_headers,
            body=beacon_body,
        ),
    ]


def count_queries(scenarios: list[Scenario]) -> None:
    """SQL queries of one request each, in-process, with the page's cache entry removed."""
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from news.caching import path_key, request_path

    call_command("collectstatic", "--noinput", verbosity=0)  # hashed names, as the server has
    client = Client(HTTP_HOST="localhost")
    for scenario in scenarios:
        if scenario.path is None or scenario.method != "GET":
            continue
        client.get(scenario.path)  # renditions exist, as they would in production
        path, _, query = scenario.path.partition("?")
        cache.delete(path_key(request_path(path), query))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(scenario.path)
        if response.status_code == 404:
            scenario.note = "404: skipped"
            scenario.path = None
        else:
            scenario.queries = len(queries)


# --- Measuring -------------------------------------------------------------------------------


def status_of(url: str, method: str, *, headers=None, body: str = "") -> int:
    data = body.encode() if method == "POST" else None
    request = urllib.request.Request(  # noqa: S310 - loopback
        url, method=method, data=data, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:  # timed out or refused: reported as a failure, the suite goes on
        return 599


def measure(base: str, scenarios: list[Scenario]) -> harness.LoadResult:
    baseline = harness.load(f"{base}/livez/", seconds=seconds(), connections=connections())
    for scenario in scenarios:
        if scenario.path is None:
            scenario.note = scenario.note or "no such page here: skipped"
            continue
        url = base + scenario.url_path
        # Also primes the cache for warm scenarios.
        status = status_of(url, scenario.method, headers=scenario.headers, body=scenario.body)
        if status >= 400:
            scenario.note = "timed out: skipped" if status == 599 else f"{status}: skipped"
            continue
        scenario.result = harness.load(
            url,
            seconds=seconds(),
            connections=connections(),
            method=scenario.method,
            headers=scenario.headers,
            body=scenario.body,
        )
    return baseline


def single_connection(base: str, path: str) -> harness.LoadResult:
    return harness.load(f"{base}{path}?{COLD}", seconds=seconds(), connections=1, threads=1)


def against_reference(base: str, article_path: str) -> dict | None:
    """The cold article and BENCH_REFERENCE_URL, three alternating rounds each."""
    reference = os.environ.get("BENCH_REFERENCE_URL")
    if not reference:
        return None
    status = status_of(reference, "GET")
    if status != 200:
        return {"reference": reference, "note": f"{status}: skipped"}
    results = harness.load_alternating(
        {
            "article, cache cold": {"url": f"{base}{article_path}?{COLD}"},
            "reference": {"url": reference},
        },
        rounds=3,
        seconds=seconds(),
        connections=connections(),
    )
    article, other = results["article, cache cold"], results["reference"]
    return {
        "reference": reference,
        "cold_article": article,
        "reference_page": other,
        "ratio": round(article.requests_per_second / other.requests_per_second, 2),
    }


def celery_worker_peak_rss(base: str, article_path: str, paths: list[str]) -> float:
    """Start a Celery worker, feed it purges while the web server is loaded, read its peak RSS."""
    env = {**os.environ, "DJANGO_DEBUG": "0"}
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config.celery",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
        ],
        cwd=harness.ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(4)
        from news.tasks import purge_cached_paths

        for _ in range(200):
            purge_cached_paths.delay(paths, "http://localhost")
        harness.load(f"{base}{article_path}", seconds=seconds(), connections=connections())
        pids = [worker.pid, *harness.worker_pids(worker.pid)]
        return max(harness.peak_rss_mb(pid) for pid in pids)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def compare_worker_classes(article_path: str) -> list[dict[str, object]]:
    rows = []
    for label, workers, threads in [("sync ×2", 2, 1), ("gthread 2×2", 2, 2)]:
        with harness.gunicorn(workers=workers, threads=threads) as base:
            status_of(f"{base}{article_path}", "GET")
            for kind, path in [("cached", article_path), ("cold", f"{article_path}?{COLD}")]:
                result = harness.load(f"{base}{path}", seconds=seconds(), connections=connections())
                rows.append(
                    {
                        "server": label,
                        "article": kind,
                        "req/s": result.requests_per_second,
                        "p50 ms": result.p50_ms,
                        "p99 ms": result.p99_ms,
                    }
                )
    return rows


# --- Running ---------------------------------------------------------------------------------


def run_scale(count: int) -> dict:
    from django.db import connection

    have = harness.ensure_articles(count)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # bulk inserts leave the planner's statistics stale
    from news.purging import paths_showing

    page, scenarios = build_scenarios()
    count_queries(scenarios)
    article = scenarios[0].path
    with harness.gunicorn(workers=2, threads=1) as base:
        baseline = measure(base, scenarios)
        single = single_connection(base, article)
        reference = against_reference(base, article)
        celery_rss = celery_worker_peak_rss(base, article, sorted(paths_showing(page)))
        web_rss = [harness.peak_rss_mb(pid) for pid in harness.worker_pids(base.pid)]
    rows = [
        {
            "scenario": "minimal view /livez/",
            "req/s": baseline.requests_per_second,
            "p50 ms": baseline.p50_ms,
            "p99 ms": baseline.p99_ms,
            "ratio": 1.0,
            "queries": 0,
            "non-2xx": baseline.non_2xx,
            "errors": baseline.errors,
        }
    ]
    for scenario in scenarios:
        result = scenario.result
        rows.append(
            {
                "scenario": scenario.name,
                "req/s": result.requests_per_second if result else "-",
                "p50 ms": result.p50_ms if result else "-",
                "p99 ms": result.p99_ms if result else "-",
                "ratio": result.ratio_to(baseline) if result else "-",
                "queries": scenario.queries if scenario.queries is not None else "-",
                "non-2xx": result.non_2xx if result else scenario.note,
                "errors": result.errors if result else "-",
            }
        )
    harness.print_table(
        f"Reader pages, {have:,} articles (gunicorn sync ×2, {connections()} connections, "
        f"{seconds()} s each)",
        rows,
    )
    harness.print_table(
        "Cold article over one connection",
        [{"req/s": single.requests_per_second, "p50 ms": single.p50_ms, "p99 ms": single.p99_ms}],
    )
    harness.print_table(
        "Peak RSS under load (MiB)",
        [{"process": f"web worker {n + 1}", "MiB": rss} for n, rss in enumerate(web_rss)]
        + [{"process": "celery worker (prefork ×1)", "MiB": celery_rss}],
    )
    if reference and "ratio" in reference:
        harness.print_table(
            f"Cold article against {reference['reference']} (3 alternating rounds)",
            [
                {
                    "page": name,
                    "req/s": result.requests_per_second,
                    "p50 ms": result.p50_ms,
                    "p99 ms": result.p99_ms,
                    "non-2xx": result.non_2xx,
                }
                for name, result in [
                    ("article, cache cold", reference["cold_article"]),
                    ("reference", reference["reference_page"]),
                ]
            ]
            + [{"page": "ratio (goal ≥ 2.0)", "req/s": reference["ratio"]}],
        )
    elif reference:
        print(f"[bench] reference {reference['reference']}: {reference['note']}")
    servers = compare_worker_classes(article)
    harness.print_table("Worker class (article page)", servers)
    return {
        "articles": have,
        "baseline": baseline,
        "scenarios": [
            {
                "name": s.name,
                "path": s.path,
                "queries": s.queries,
                "note": s.note,
                "result": s.result,
                "ratio": s.result.ratio_to(baseline) if s.result else None,
            }
            for s in scenarios
        ],
        "cold_article_single_connection": single,
        "peak_rss_mb": {"web_workers": web_rss, "celery_worker": celery_rss},
        "worker_classes": servers,
        "against_reference": reference,
    }


def main() -> None:
    harness.setup_django()
    for count in scales():
        payload = run_scale(count)
        harness.write_results(f"pages-{payload['articles']}", payload)


if __name__ == "__main__":
    main()
