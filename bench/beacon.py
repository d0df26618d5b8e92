"""The view beacon under load, as a ratio to the minimal Django view served the same way in
the same run; then N concurrent beacons from distinct visitors, counted exactly once each.

    python -m bench.beacon            (or: make bench ARGS=beacon)
"""

import http.client
import os
import threading
import uuid
from urllib.parse import urlencode, urlsplit

from bench import harness

SECONDS = int(os.environ.get("BENCH_SECONDS", "8"))
ROUNDS = 4  # baseline and beacon alternate in SECONDS / ROUNDS slices (see load_alternating)
CONNECTIONS = 16
CONCURRENT_VISITORS = int(os.environ.get("BENCH_VISITORS", "2000"))
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def send_distinct_beacons(url: str, token: str, *, visitors: int, threads: int) -> list[int]:
    """`visitors` beacons, each from its own loopback address (127.1.x.y) with its own user agent,
    as distinct readers are: one address's views of a story are capped per day
    (readership.conf.views_per_address_per_day)."""
    parts = urlsplit(url)
    statuses: list[int] = []
    lock = threading.Lock()
    body = urlencode({"token": token})
    run_id = uuid.uuid4().hex[:8]  # new visitors each run: earlier runs' are still in the window

    def run(first: int) -> None:
        local = []
        for n in range(first, visitors, threads):
            address = (f"127.1.{n // 250}.{n % 250 + 1}", 0)
            conn = http.client.HTTPConnection(
                parts.hostname, parts.port, timeout=10, source_address=address
            )
            conn.request(
                "POST",
                "/readership/views/",
                body=body,
                headers={
                    "Origin": url,
                    "User-Agent": f"{BROWSER_UA} visitor/{run_id}-{n}",
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = conn.getresponse()
            counted = b'"counted": true' in response.read()
            conn.close()
            local.append(response.status if counted else -response.status)
        with lock:
            statuses.extend(local)

    workers = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses


SERVERS = [
    ("sync ×2", {"workers": 2, "threads": 1}),
    # gunicorn.conf.py's production threads: a second thread overlaps the Redis round trip.
    ("gthread ×2×2", {"workers": 2, "threads": 2}),
    ("gthread ×2×4", {"workers": 2, "threads": 4}),
]


def measure(url: str, token: str) -> dict[str, harness.LoadResult]:
    headers = {
        "Origin": url,
        "User-Agent": BROWSER_UA,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    body = urlencode({"token": token})
    targets = {
        "baseline": {"url": f"{url}/livez/"},
        "beacon": {
            "url": f"{url}/readership/views/",
            "method": "POST",
            "headers": headers,
            "body": body,
        },
        # A stranger's session cookie sends the beacon through every middleware and the URL
        # resolver, as it went before ViewBeaconMiddleware: what answering early saves.
        "beacon, full stack": {
            "url": f"{url}/readership/views/",
            "method": "POST",
            "headers": {**headers, "Cookie": "sessionid=bench-no-such-session"},
            "body": body,
        },
    }
    harness.load_alternating(targets, rounds=1, seconds=2, connections=CONNECTIONS)  # warm up
    results = harness.load_alternating(
        targets, rounds=ROUNDS, seconds=max(1, SECONDS // ROUNDS), connections=CONNECTIONS
    )
    return results


def main() -> None:
    harness.setup_django()
    harness.ensure_articles(1)

    from news.models import ArticlePage
    from readership.counting import flush_views, view_token

    article = ArticlePage.objects.live().order_by("pk").first()
    token = view_token(article.pk)
    rows, results = [], {}
    for name, sizing in SERVERS:
        # gunicorn.conf.py recycles workers every ~2,000 requests; a recycle mid-run would
        # measure Django's start-up, not the endpoints, so both endpoints run without it.
        with harness.gunicorn(**sizing, env={"GUNICORN_CMD_ARGS": "--max-requests 0"}) as url:
            measured = measure(url, token)
            if name == SERVERS[-1][0]:
                flush_views()
                before = ArticlePage.objects.get(pk=article.pk).view_count
                statuses = send_distinct_beacons(
                    url, token, visitors=CONCURRENT_VISITORS, threads=32
                )
                flush_views()
                after = ArticlePage.objects.get(pk=article.pk).view_count
        baseline, beacon = measured["baseline"], measured["beacon"]
        results[name] = {**measured, "ratio": beacon.ratio_to(baseline)}
        labels = {
            "baseline": "/livez/ (baseline)",
            "beacon": "/readership/views/",
            "beacon, full stack": "/readership/views/ with a session cookie",
        }
        for key, result in measured.items():
            rows.append(
                {
                    "server": name,
                    "endpoint": labels[key],
                    "req/s": result.requests_per_second,
                    "p50 ms": result.p50_ms,
                    "p99 ms": result.p99_ms,
                    "errors": result.errors,
                    "non-2xx": result.non_2xx,
                    "ratio": result.ratio_to(baseline),
                }
            )
    harness.print_table(
        f"Beacon vs minimal view, same server, alternating {ROUNDS} rounds "
        f"({CONNECTIONS} connections, {SECONDS} s each)",
        rows,
    )
    counted = sum(1 for status in statuses if status == 200)
    correctness = {
        "beacons sent": CONCURRENT_VISITORS,
        "answered counted": counted,
        "stored before": before,
        "stored after flush": after,
        "added": after - before,
        "exact": after - before == CONCURRENT_VISITORS == counted,
    }
    harness.print_table("Concurrent distinct visitors → counted views", [correctness])
    for name, result in results.items():
        print(f"beacon / baseline throughput ratio, {name}: {result['ratio']:.2f} (goal ≥ 0.8)")
    harness.write_results("beacon", {"servers": results, "goal": 0.8, "correctness": correctness})


if __name__ == "__main__":
    main()
