"""Readers while editors publish (test plan L-02): sustained reader traffic on a production-like
server while a script publishes or updates an article every two seconds, with beacons and
reactions flowing, a real Celery worker purging and beat flushing views.

    python -m bench.load            (or: make bench ARGS=load)

Prints: requests and 5xx per reader path (the check is zero 5xx), for each publish whether the
very next anonymous request (article page and section front) showed it and whether it did within
a second, and the flushed view total against the beacons the endpoint accepted.
"""

import http.client
import os
import random
import signal
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlencode, urlsplit

from bench import harness

SECONDS = int(os.environ.get("BENCH_SECONDS", "60"))
READERS = int(os.environ.get("BENCH_READERS", "16"))
ARTICLES = int(os.environ.get("BENCH_LOAD_ARTICLES", "300"))
PUBLISH_EVERY = 2.0
VISIBLE_WITHIN = 15.0  # seconds a publish is watched for on the article page and section front
BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
# The reader mix (weights): what a front page, a section, a story and a search cost together.
MIX = [("home", 3), ("index", 2), ("article", 4), ("search", 1), ("beacon", 4), ("reaction", 1)]


class Readers:
    """Reader threads, each on its own keep-alive connection, recording status per path kind."""

    def __init__(self, url: str, articles: list[tuple[int, str]], tokens: dict[int, str]):
        self.parts = urlsplit(url)
        self.origin = url
        self.articles, self.tokens = articles, tokens
        self.statuses: Counter = Counter()
        self.accepted_beacons = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.run_id = uuid.uuid4().hex[:8]

    def request(self, conn, kind: str, n: int) -> tuple[int, bytes]:
        article_id, path = random.choice(self.articles)
        headers = {"User-Agent": BROWSER_UA}
        if kind == "home":
            conn.request("GET", "/", headers=headers)
        elif kind == "index":
            conn.request("GET", "/news/", headers=headers)
        elif kind == "article":
            conn.request("GET", path, headers=headers)
        elif kind == "search":
            conn.request("GET", f"/search/?q={random.choice(['city', 'council', 'river'])}")
        else:
            body = (
                urlencode({"token": self.tokens[article_id]})
                if kind == "beacon"
                else urlencode({"kind": "informative"})
            )
            conn.request(
                "POST",
                "/readership/views/"
                if kind == "beacon"
                else f"/readership/reactions/{article_id}/",
                body=body,
                headers={
                    "Origin": self.origin,
                    # A distinct visitor per beacon, so every accepted one must be counted.
                    "User-Agent": f"{BROWSER_UA} visitor/{self.run_id}-{threading.get_ident()}-{n}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/json",
                },
            )
        response = conn.getresponse()
        return response.status, response.read()

    def run(self) -> None:
        kinds = [kind for kind, weight in MIX for _ in range(weight)]
        conn = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=30)
        local, accepted, n = Counter(), 0, 0
        while not self.stop.is_set():
            kind = random.choice(kinds)
            n += 1
            try:
                status, body = self.request(conn, kind, n)
            except OSError:
                local[(kind, "socket error")] += 1
                conn = http.client.HTTPConnection(self.parts.hostname, self.parts.port, timeout=30)
                continue
            local[(kind, status)] += 1
            if kind == "beacon" and status == 200 and b'"counted": true' in body:
                accepted += 1
        with self.lock:
            self.statuses.update(local)
            self.accepted_beacons += accepted


def fetch(url: str) -> tuple[int, str]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
    response = conn.getresponse()
    return response.status, response.read().decode("utf-8", "replace")


def publish_one(n: int, *, section, existing: list) -> tuple[str, object, str]:
    """Alternately a new article and an edit of an existing one, published as editors do."""
    from news.factories import ArticlePageFactory

    title = f"Load bench story {uuid.uuid4().hex[:10]}"
    if n % 2 == 0 or not existing:
        article = ArticlePageFactory.build(title=title, slug=f"load-{uuid.uuid4().hex[:12]}")
        section.add_child(instance=article)
        kind = "new"
    else:
        article = random.choice(existing).specific
        article.title = title
        kind = "update"
    article.save_revision().publish()
    return kind, article, title


def visible(url: str, title: str) -> bool:
    status, body = fetch(url)
    return status == 200 and title in body


def watch(outcome: dict, page_url: str, front_url: str | None, title: str) -> None:
    """The next anonymous request for the article (and, for a new one, the section front), then
    how long until all show the publish (our page cache is purged by the worker, after commit).
    An update of an older article is not on the front's first page, so only its page is read."""
    outcome["article next"] = visible(page_url, title)
    outcome["section next"] = visible(front_url, title) if front_url else None
    started = time.monotonic()
    while time.monotonic() - started < VISIBLE_WITHIN:
        if visible(page_url, title) and (front_url is None or visible(front_url, title)):
            outcome["visible after s"] = outcome["publish s"] + time.monotonic() - started
            return
        time.sleep(0.1)
    outcome["visible after s"] = None


def publisher(url: str, stop: threading.Event, outcomes: list[dict]) -> list[threading.Thread]:
    """Every two seconds (on a fixed cadence) publish; each publish is watched in its own thread."""
    from django.db import close_old_connections

    from news.models import ArticlePage, NewsIndexPage

    section = NewsIndexPage.objects.live().filter(depth=3).first()
    existing = list(ArticlePage.objects.live().order_by("-pk")[:50])
    watchers, n, tick = [], 0, time.monotonic()
    while not stop.wait(max(0.0, tick + PUBLISH_EVERY - time.monotonic())):
        tick = time.monotonic()
        kind, article, title = publish_one(n, section=section, existing=existing)
        outcome = {"kind": kind, "publish s": time.monotonic() - tick}
        outcomes.append(outcome)
        watcher = threading.Thread(
            target=watch,
            args=(
                outcome,
                f"{url}{article.url}",
                f"{url}{section.url}" if kind == "new" else None,
                title,
            ),
        )
        watcher.start()
        watchers.append(watcher)
        n += 1
        close_old_connections()
    for watcher in watchers:
        watcher.join()


def main() -> None:
    harness.setup_django()
    harness.ensure_articles(ARTICLES)

    from django.db.models import Sum

    from news.models import ArticlePage
    from readership.counting import flush_views, view_token
    from readership.models import ArticleTotalViews

    articles = [(a.pk, a.url) for a in ArticlePage.objects.published().order_by("-pk")[:200]]
    tokens = {pk: view_token(pk) for pk, _ in articles}
    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    worker = harness.celery("worker", "--concurrency", "2", log_name="load-worker.log")
    beat = harness.celery(
        "beat", "-s", str(harness.RESULTS / "load-beat-schedule"), log_name="load-beat.log"
    )
    outcomes: list[dict] = []
    try:
        with harness.gunicorn(workers=2, threads=2) as url:
            flush_views()
            views_before = ArticleTotalViews.objects.aggregate(total=Sum("views"))["total"] or 0
            readers = Readers(url, articles, tokens)
            threads = [threading.Thread(target=readers.run) for _ in range(READERS)]
            stop_publishing = threading.Event()
            publishing = threading.Thread(target=publisher, args=(url, stop_publishing, outcomes))
            load_before = os.getloadavg()
            for thread in [*threads, publishing]:
                thread.start()
            time.sleep(SECONDS)
            readers.stop.set()
            stop_publishing.set()
            for thread in [*threads, publishing]:
                thread.join()
            load_after = os.getloadavg()
            flush_views()  # whatever beat's last tick left in the buffer
            views_after = ArticleTotalViews.objects.aggregate(total=Sum("views"))["total"] or 0
    finally:
        for process in (beat, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    rows = []
    for kind, _ in MIX:
        by_status = {s: c for (k, s), c in readers.statuses.items() if k == kind}
        total = sum(by_status.values())
        rows.append(
            {
                "path": kind,
                "requests": total,
                "req/s": total / SECONDS,
                "5xx": sum(c for s, c in by_status.items() if isinstance(s, int) and s >= 500),
                "socket errors": by_status.get("socket error", 0),
                "statuses": ", ".join(f"{s}×{c}" for s, c in sorted(by_status.items(), key=str)),
            }
        )
    harness.print_table(
        f"Readers ({READERS} connections, {SECONDS} s) while publishing every {PUBLISH_EVERY:.0f} s",
        rows,
    )
    lags = [o["visible after s"] for o in outcomes if o["visible after s"] is not None]
    lag_stats = harness.latency_stats(lags)
    summary = {
        "publishes": len(outcomes),
        "article on next request": sum(o["article next"] for o in outcomes),
        "new ones on section's next request": sum(bool(o["section next"]) for o in outcomes),
        "new": sum(o["kind"] == "new" for o in outcomes),
        f"all visible within {VISIBLE_WITHIN:.0f} s": len(lags),
        "visible after p50 s": lag_stats["p50_ms"],
        "max s": max(lags, default=0.0),
        "publish p50 s": harness.latency_stats([o["publish s"] for o in outcomes])["p50_ms"],
    }
    harness.print_table("Publishes (new and updated articles, revision.publish())", [summary])
    views = {
        "accepted beacons": readers.accepted_beacons,
        "flushed views": views_after - views_before,
        "equal": views_after - views_before == readers.accepted_beacons,
    }
    harness.print_table("View counting under load", [views])
    five_xx = sum(row["5xx"] for row in rows)
    print(f"zero 5xx: {'yes' if five_xx == 0 else f'NO ({five_xx})'}")
    print(f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f}")
    harness.write_results(
        "load",
        {
            "readers": rows,
            "publishes": summary,
            "outcomes": outcomes,
            "views": views,
            "load_average": [load_before, load_after],
        },
    )


if __name__ == "__main__":
    main()
