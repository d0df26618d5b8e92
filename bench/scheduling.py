"""Scheduled publishing: how late articles go live through a real beat + worker, and what one
scheduler tick costs with 100,000 articles in the database.

    python -m bench.scheduling            (or: make bench ARGS=scheduling)

Environment: BENCH_ARTICLES (default 100000), BENCH_SCHEDULED (articles scheduled for the
lateness run, default 60), BENCH_SPREAD_S (their go-lives are spread over this many seconds,
default 40).

Baselines measured in the same run: Wagtail's own `publish_scheduled` command (the same two
queries without locks) for the tick, and the tick without our partial expiry index.
"""

import os
import signal
import statistics
import time
from datetime import timedelta

from bench import harness

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
SCHEDULED = int(os.environ.get("BENCH_SCHEDULED", "60"))
SPREAD_S = float(os.environ.get("BENCH_SPREAD_S", "40"))


def ensure_revisions_and_expiries() -> None:
    """Give every bulk-seeded article the revision a real one has, and a tenth of them a
    future expiry, so the scheduler's queries run against realistic table sizes."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from wagtail.models import Page

    from news.models import ArticlePage

    article_type = ContentType.objects.get_for_model(ArticlePage).pk
    page_type = ContentType.objects.get_for_model(Page).pk
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO wagtailcore_revision
                (content_type_id, base_content_type_id, object_id, created_at, object_str, content)
            SELECT p.content_type_id, %s, p.id::text, now(), p.title, '{}'::jsonb
            FROM wagtailcore_page p
            WHERE p.content_type_id = %s AND p.latest_revision_id IS NULL
            """,
            [page_type, article_type],
        )
        cursor.execute(
            """
            UPDATE wagtailcore_page SET expire_at = now() + (id %% 300) * interval '1 day'
            WHERE content_type_id = %s AND id %% 10 = 0 AND expire_at IS NULL
            """,
            [article_type],
        )
        cursor.execute("ANALYZE wagtailcore_revision; ANALYZE wagtailcore_page")


def tick_cost() -> list[dict]:
    from django.core.management import call_command
    from django.db import connection, transaction

    from editorial.scheduling import run_schedule

    def wagtail_command():
        call_command("publish_scheduled", verbosity=0)

    ours = harness.time_calls(run_schedule, repeat=50)
    wagtail = harness.time_calls(wagtail_command, repeat=50)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX editorial_page_expiring_idx")
        unindexed = harness.time_calls(run_schedule, repeat=20)
        transaction.set_rollback(True)
    return [
        {"tick (nothing due)": "editorial.scheduling.run_schedule", **ours},
        {"tick (nothing due)": "wagtail publish_scheduled (no locks)", **wagtail},
        {"tick (nothing due)": "run_schedule without expiry index", **unindexed},
    ]


def create_articles(count: int) -> list:
    """Draft articles with a placeholder schedule a day ahead (moved once beat is running)."""
    from django.utils import timezone

    from news.factories import ArticlePageFactory
    from news.models import NewsIndexPage

    section = NewsIndexPage.objects.order_by("depth", "path").first()
    placeholder = timezone.now() + timedelta(days=1)
    revisions = []
    for _ in range(count):
        article = ArticlePageFactory(parent=section, draft=True, go_live_at=placeholder)
        revisions.append(article.save_revision())
    return revisions


def set_go_lives(revisions: list, *, first_in: float, spread: float) -> dict[int, object]:
    """Approve each revision to go live, spread evenly from `first_in` seconds from now."""
    from django.utils import timezone

    start = timezone.now() + timedelta(seconds=first_in)
    go_lives = {}
    for index, revision in enumerate(revisions):
        at = start + timedelta(seconds=spread * index / max(len(revisions) - 1, 1))
        revision.content["go_live_at"] = at.isoformat()
        revision.approved_go_live_at = at
        revision.save(update_fields=["content", "approved_go_live_at"])
        go_lives[int(revision.object_id)] = at
    return go_lives


def wait_for(path, text: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and text in path.read_text():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{path.name} never said {text!r}")


def lateness() -> dict:
    from news.models import ArticlePage

    harness.RESULTS.mkdir(parents=True, exist_ok=True)
    schedule_file = harness.RESULTS / "scheduling-beat-schedule"
    worker = harness.celery("worker", "--concurrency", "2", log_name="scheduling-worker.log")
    beat = harness.celery("beat", "-s", str(schedule_file), log_name="scheduling-beat.log")
    try:
        revisions = create_articles(SCHEDULED)
        wait_for(harness.RESULTS / "scheduling-worker.log", "ready.")
        wait_for(harness.RESULTS / "scheduling-beat.log", "Sending due task")
        go_lives = set_go_lives(revisions, first_in=3, spread=SPREAD_S)
        pages = ArticlePage.objects.filter(pk__in=go_lives)
        deadline = time.monotonic() + 3 + SPREAD_S + 60
        while pages.filter(live=True).count() < len(go_lives) and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        for process in (beat, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)
    late = [
        (page.last_published_at - go_lives[page.pk]).total_seconds()
        for page in pages.filter(live=True)
    ]
    return {
        "scheduled": len(go_lives),
        "published": len(late),
        "median_s": statistics.median(late) if late else None,
        "p95_s": sorted(late)[int(0.95 * (len(late) - 1))] if late else None,
        "max_s": max(late) if late else None,
        "bound_s": 5.0,
    }


def main() -> None:
    harness.setup_django()
    total = harness.ensure_articles(ARTICLES)
    ensure_revisions_and_expiries()
    from wagtail.models import Revision

    ticks = tick_cost()
    harness.print_table(f"One scheduler tick with {total:,} live articles (ms)", ticks)
    late = lateness()
    harness.print_table(
        "Go-live lateness through celery beat (2 s) + worker (seconds after go_live_at)", [late]
    )
    ours, wagtail = ticks[0]["p50_ms"], ticks[1]["p50_ms"]
    print(f"\nTick p50: {ours:.2f} ms, {ours / wagtail:.2f}× Wagtail's unlocked command.")
    harness.write_results(
        "scheduling",
        {
            "articles": total,
            "revisions": Revision.objects.count(),
            "tick_ms": ticks,
            "tick_ratio_to_wagtail": ours / wagtail if wagtail else None,
            "lateness": late,
        },
    )


if __name__ == "__main__":
    main()
