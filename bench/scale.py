"""Does a cold article get slower as the archive grows? The same render at each scale, the
scales alternating round by round so that the machine's drift hits them alike.

    python -m bench scale            (or: make bench ARGS=scale)

Each scale in BENCH_SCALES (default "10000,100000") has its own database, `<db>_<n>_bench`,
seeded on first use (a copy made with `createdb -T` from a seeded one saves the wait). Each
round starts one process per scale that renders the 500th-newest article BENCH_RENDERS times
(default 40) through Django's WSGI handler with a query parameter the page cache ignores, so
every request routes and renders, as after a purge. BENCH_ROUNDS rounds (default 4). Prints
wall and CPU milliseconds per request for each round, the best and median round per scale,
and the ratio of the largest scale to the smallest. Results: bench/results/scale.json.
"""

import io
import json
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

from bench import harness

CHILD_FLAG = "--render"


def scales() -> list[int]:
    return [int(n) for n in os.environ.get("BENCH_SCALES", "10000,100000").split(",") if n]


def database_url_for(articles: int) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/masthead"))
    name = parts.path.lstrip("/").removesuffix("_bench") or "masthead"
    return urlunsplit(parts._replace(path=f"/{name}_{articles}"))


def render_in_this_process(articles: int, renders: int) -> dict[str, float]:
    """The child's work: seed if needed, then time `renders` cold renders of one article."""
    harness.setup_django()
    harness.ensure_articles(articles)

    from django.core.handlers.wsgi import WSGIHandler

    from news.models import ArticlePage

    article = ArticlePage.objects.published().newest_first()[500]
    harness.store_continue_reading(article)
    path = article.url
    handler = WSGIHandler()

    def render(n: int) -> None:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": f"bench=cold{n}",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_USER_AGENT": "Mozilla/5.0",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
        }
        statuses = []
        body = b"".join(handler(environ, lambda status, headers, *_: statuses.append(status)))
        if not statuses[0].startswith("200") or not body:
            raise RuntimeError(f"{path} answered {statuses[0]}")

    with harness.plain_storages():
        for n in range(5):  # renditions, per-process caches
            render(n)
        wall, cpu = time.perf_counter(), time.process_time()
        for n in range(renders):
            render(n)
        return {
            "articles": articles,
            "path": path,
            "wall_ms": (time.perf_counter() - wall) / renders * 1000,
            "cpu_ms": (time.process_time() - cpu) / renders * 1000,
        }


def run_round(articles: int, renders: int) -> dict[str, float]:
    env = {**os.environ, "DATABASE_URL": database_url_for(articles)}
    env.pop("MASTHEAD_BENCH_READY", None)
    output = subprocess.run(
        [sys.executable, "-m", "bench.scale", CHILD_FLAG, str(articles), str(renders)],
        cwd=harness.ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    renders = int(os.environ.get("BENCH_RENDERS", "40"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "4"))
    chosen = scales()
    for articles in chosen:  # seed outside the timed rounds
        print(f"[bench] preparing {articles:,} articles…", flush=True)
        run_round(articles, 1)
    results: dict[int, list[dict]] = {articles: [] for articles in chosen}
    for _ in range(rounds):
        for articles in chosen:
            results[articles].append(run_round(articles, renders))
    rows = [
        {"round": i + 1, **{f"{n:,} wall ms": results[n][i]["wall_ms"] for n in chosen}}
        | {f"{n:,} cpu ms": results[n][i]["cpu_ms"] for n in chosen}
        for i in range(rounds)
    ]
    harness.print_table(f"Cold article, {renders} renders per round, scales alternating", rows)
    summary = [
        {
            "articles": f"{n:,}",
            "best wall ms": min(r["wall_ms"] for r in results[n]),
            "median wall ms": statistics.median(r["wall_ms"] for r in results[n]),
            "median cpu ms": statistics.median(r["cpu_ms"] for r in results[n]),
        }
        for n in chosen
    ]
    harness.print_table("Per scale", summary)
    smallest, largest = summary[0], summary[-1]
    ratio = largest["median wall ms"] / smallest["median wall ms"]
    print(f"median wall time, {largest['articles']} / {smallest['articles']} articles: {ratio:.2f}")
    harness.write_results("scale", {"rounds": results, "summary": summary, "ratio": ratio})


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == CHILD_FLAG:
        print(json.dumps(render_in_this_process(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        main()
