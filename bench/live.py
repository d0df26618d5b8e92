"""Live coverage under a spike (issue 21): simulated readers poll a live page's update endpoint
while an editor posts an entry every two seconds, on a production-like server with a real
Celery worker purging.

    make bench ARGS=live      (BENCH_LIVE_READERS, BENCH_LIVE_SECONDS, BENCH_LIVE_CONNECTIONS)

Each simulated reader polls `updates/?since=<its cursor>` every LIVE_POLL_SECONDS, as the
page's script does; a few load-generator threads carry them all on keep-alive connections.
Prints: entry-to-visible latency over every (reader, entry) pair (post committed → that reader's
poll returned it; goal p95 ≤ 5 s), polls, 5xx (goal 0), the share answered from the page
cache, database queries per poll on cache hits (counted in-process with Django's query capture
over the same Redis; goal 0), and the steady poll throughput as a ratio of the minimal view
/livez/ measured alternately in the same run (goal ≥ 0.8).
"""

import http.client
import json
import os
import signal
import threading
import time
from collections import Counter
from urllib.parse import urlsplit

from bench import harness

READERS = int(os.environ.get("BENCH_LIVE_READERS", "1000"))
SECONDS = int(os.environ.get("BENCH_LIVE_SECONDS", "40"))
CONNECTIONS = int(os.environ.get("BENCH_LIVE_CONNECTIONS", "24"))
POST_EVERY = 2.0
POLL_SECONDS = float(os.environ.get("LIVE_POLL_SECONDS", "3"))
QUERY_SAMPLE = 200


def coverage_page():
    """The benchmarked live page (created once, published) and the editor who posts."""
    from django.contrib.auth.models import User

    from live.factories import LivePageFactory
    from live.models import LivePage
    from news.models import NewsIndexPage

    editor = User.objects.filter(username="bench-live-editor").first()
    if editor is None:
        editor = User.objects.create_superuser("bench-live-editor", "live@bench.test", "x" * 20)
    page = LivePage.objects.filter(slug="bench-live").first()
    if page is None:
        section = NewsIndexPage.objects.live().filter(depth=3).first()
        page = LivePageFactory.build(title="Bench: live coverage", slug="bench-live")
        section.add_child(instance=page)
        page.save_revision().publish()
        page = LivePage.objects.get(pk=page.pk)
    return page, editor


class Readers:
    """Simulated readers, each with its cursor and next poll time, shared by a few threads."""

    def __init__(self, url: str, path: str, cursor: int, count: int):
        self.parts = urlsplit(url)
        self.path = path
        self.cursors = [cursor] * count
        self.seen: list[set[int]] = [set() for _ in range(count)]
        self.due = [time.monotonic() + POLL_SECONDS * n / count for n in range(count)]
        self.first_seen: dict[tuple[int, int], float] = {}
        self.statuses: Counter = Counter()
        self.cache: Counter = Counter()
        self.lock = threading.Lock()
        self.stop = threading.Event()

    def run(self, share: range) -> None:
        conn = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=30)
        statuses, cache = Counter(), Counter()
        while not self.stop.is_set():
            now = time.monotonic()
            reader = min(share, key=self.due.__getitem__)
            if self.due[reader] > now:
                time.sleep(min(0.05, self.due[reader] - now))
                continue
            self.due[reader] = now + POLL_SECONDS
            try:
                conn.request("GET", f"{self.path}?since={self.cursors[reader]}")
                response = conn.getresponse()
                body = response.read()
            except OSError:
                statuses["socket error"] += 1
                conn = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=30)
                continue
            statuses[response.status] += 1
            cache[response.getheader("X-Cache", "none")] += 1
            if response.status != 200:
                continue
            data = json.loads(body)
            arrived = time.time()
            for entry in data["entries"]:
                if entry["id"] not in self.seen[reader]:
                    self.seen[reader].add(entry["id"])
                    self.first_seen[(reader, entry["id"])] = arrived
            self.cursors[reader] = max(self.cursors[reader], data["cursor"])
        with self.lock:
            self.statuses.update(statuses)
            self.cache.update(cache)


def poster(page, editor, stop: threading.Event, posted: dict[int, float]) -> None:
    """An entry every two seconds on a fixed cadence, through the desk's own code path."""
    from django.db import close_old_connections

    from live import coverage
    from live.factories import entry_text

    n, tick = 0, time.monotonic()
    while not stop.wait(max(0.0, tick + POST_EVERY - time.monotonic())):
        tick = time.monotonic()
        entry = coverage.post_entry(page, user=editor, body=entry_text(f"Bench update {n}."))
        posted[entry.pk] = time.time()  # committed: post_entry's transaction has ended
        n += 1
        close_old_connections()


def queries_per_hit(path: str) -> tuple[float, int]:
    """Django's query count over polls the page cache answered, in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="localhost")
    client.get(path)  # make sure it is stored
    hits = queries = 0
    with harness.plain_storages():
        for _ in range(QUERY_SAMPLE):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.get("X-Cache") == "HIT":
                hits += 1
                queries += len(captured)
    return (queries / hits if hits else float("nan")), hits


def main() -> None:
    harness.setup_django()
    harness.ensure_articles(20)
    page, editor = coverage_page()
    updates = f"{page.url}updates/"
    cursor = page.cursor()
    worker = harness.celery("worker", "--concurrency", "2", log_name="live-worker.log")
    posted: dict[int, float] = {}
    try:
        with harness.gunicorn(workers=2, threads=4) as url:
            readers = Readers(url, updates, cursor, READERS)
            shares = [range(n, READERS, CONNECTIONS) for n in range(min(CONNECTIONS, READERS))]
            threads = [threading.Thread(target=readers.run, args=(share,)) for share in shares]
            stop_posting = threading.Event()
            posting = threading.Thread(target=poster, args=(page, editor, stop_posting, posted))
            load_before = os.getloadavg()
            for thread in [*threads, posting]:
                thread.start()
            time.sleep(SECONDS)
            stop_posting.set()
            posting.join()
            time.sleep(POLL_SECONDS + 2)  # every reader polls once more after the last post
            readers.stop.set()
            for thread in threads:
                thread.join()
            load_after = os.getloadavg()

            steady = f"{updates}?since={page.cursor()}"
            ratios = harness.load_alternating(
                {
                    "minimal view": {"url": f"{url}/livez/"},
                    "update poll": {"url": f"{url}{steady}"},
                },
                rounds=3,
                seconds=5,
                connections=16,
            )
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)

    per_query, sampled_hits = queries_per_hit(steady)
    lags = [
        seen - posted[entry_id]
        for (_, entry_id), seen in readers.first_seen.items()
        if entry_id in posted
    ]
    expected_pairs = len(posted) * READERS
    lag = harness.latency_stats([value * 1000 for value in lags])
    polls = sum(count for status, count in readers.statuses.items() if isinstance(status, int))
    five_xx = sum(
        count
        for status, count in readers.statuses.items()
        if isinstance(status, int) and status >= 500
    )
    hits = readers.cache.get("HIT", 0)
    spike = {
        "readers": READERS,
        "entries posted": len(posted),
        "pairs seen / expected": f"{len(lags)} / {expected_pairs}",
        "visible p50 s": lag["p50_ms"] / 1000,
        "visible p95 s": lag["p95_ms"] / 1000,
        "visible max s": max(lags, default=0.0),
        "polls": polls,
        "polls/s": polls / (SECONDS + POLL_SECONDS + 2),
        "5xx": five_xx,
        "socket errors": readers.statuses.get("socket error", 0),
        "cache hits %": 100 * hits / polls if polls else 0.0,
        "load avg before→after": f"{load_before[0]:.1f}→{load_after[0]:.1f}",
    }
    harness.print_table(
        f"{READERS} readers polling every {POLL_SECONDS:.0f} s for {SECONDS} s, "
        f"an entry every {POST_EVERY:.0f} s",
        [spike],
    )
    baseline, poll = ratios["minimal view"], ratios["update poll"]
    steady_rows = [
        {
            "endpoint": name,
            "req/s": result.requests_per_second,
            "p50 ms": result.p50_ms,
            "p99 ms": result.p99_ms,
            "non-2xx": result.non_2xx,
            "errors": result.errors,
        }
        for name, result in ratios.items()
    ]
    harness.print_table(
        "Steady poll vs minimal view (alternating 3×5 s, 16 connections)", steady_rows
    )
    ratio = poll.ratio_to(baseline)
    print(f"poll throughput / minimal view: {ratio:.2f} (goal ≥ 0.8)")
    print(f"queries per poll on a cache hit: {per_query:.2f} over {sampled_hits} hits (goal 0)")
    print(f"entry-to-visible p95: {spike['visible p95 s']:.2f} s (goal ≤ 5 s)")
    print(f"zero 5xx: {'yes' if five_xx == 0 else f'NO ({five_xx})'}")
    harness.write_results(
        "live",
        {
            "spike": spike,
            "steady": ratios,
            "poll_to_minimal_ratio": ratio,
            "queries_per_hit": per_query,
        },
    )


if __name__ == "__main__":
    main()
