"""Release bundles: how late bundles of five pages go out through a real beat and worker, and
whether each went out whole, in one transaction and exactly once.

    python -m bench.releases              (or: make bench ARGS=releases)

Environment: BENCH_ARTICLES (archive size, default 100000), BENCH_BUNDLES (default 10),
BENCH_SPREAD_S (their release times are spread over this many seconds, default 30).

Baseline measured in the same run: the same number of pages scheduled one by one through
Wagtail's go-live time and the project's scheduler (bench.scheduling's lateness run).
"""

import os
import signal
import statistics
import time
from datetime import timedelta

from bench import harness

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
BUNDLES = int(os.environ.get("BENCH_BUNDLES", "10"))
SPREAD_S = float(os.environ.get("BENCH_SPREAD_S", "30"))
PAGES_PER_BUNDLE = 5
BOUND_S = 5.0  # issue 22


def newsroom_people():
    """A writer with a staff profile (the stories' author) and a chief editor (who adds them
    to bundles: someone other than the author, allowed to publish)."""
    from django.contrib.auth.models import Group, User

    from editorial.newsroom import CHIEF_EDITORS, WRITERS, install_newsroom
    from news.factories import StaffProfilePageFactory
    from news.models import StaffIndexPage

    install_newsroom()
    writer, created = User.objects.get_or_create(username="bench-release-writer")
    writer.groups.add(Group.objects.get(name=WRITERS))
    if created or not hasattr(writer, "staff_profile"):
        StaffProfilePageFactory(
            parent=StaffIndexPage.objects.first(), title="Bench Writer", user=writer
        )
    chief, _ = User.objects.get_or_create(username="bench-release-chief")
    chief.groups.add(Group.objects.get(name=CHIEF_EDITORS))
    return writer, chief


def complete_drafts(count: int, writer) -> list:
    """Drafts that meet the publication checklist (dek, image, tag, byline)."""
    from news.factories import ArticlePageFactory, NewsImageFactory
    from news.models import NewsIndexPage

    section = NewsIndexPage.objects.order_by("depth", "path").first()
    image = NewsImageFactory(description="A release-day photograph")
    drafts = []
    for _ in range(count):
        article = ArticlePageFactory(
            parent=section,
            draft=True,
            owner=writer,
            lead_image=image,
            tags=["budget"],
            authors=[writer.staff_profile],
        )
        article.save_revision(user=writer)
        drafts.append(article)
    return drafts


def make_bundles(drafts, chief, *, first_in: float) -> dict[int, object]:
    from django.utils import timezone

    from releases.models import BundlePage, ReleaseBundle

    start = timezone.now() + timedelta(seconds=first_in)
    bundles = {}
    for n in range(BUNDLES):
        at = start + timedelta(seconds=SPREAD_S * n / max(BUNDLES - 1, 1))
        bundle = ReleaseBundle.objects.create(name=f"Bench bundle {n}", release_at=at)
        for order, page in enumerate(drafts[n * PAGES_PER_BUNDLE : (n + 1) * PAGES_PER_BUNDLE]):
            page.refresh_from_db()
            BundlePage.objects.create(
                bundle=bundle,
                page=page,
                revision_id=page.latest_revision_id,
                added_by=chief,
                sort_order=order,
            )
        bundles[bundle.pk] = at
    return bundles


def bundle_lateness() -> dict:
    from wagtail.models import PageLogEntry

    from bench.scheduling import wait_for
    from news.models import ArticlePage
    from releases.models import ReleaseBundle

    writer, chief = newsroom_people()
    drafts = complete_drafts(BUNDLES * PAGES_PER_BUNDLE, writer)
    schedule_file = harness.RESULTS / "releases-beat-schedule"
    worker = harness.celery("worker", "--concurrency", "2", log_name="releases-worker.log")
    beat = harness.celery("beat", "-s", str(schedule_file), log_name="releases-beat.log")
    try:
        wait_for(harness.RESULTS / "releases-worker.log", "ready.")
        wait_for(harness.RESULTS / "releases-beat.log", "Sending due task")
        bundles = make_bundles(drafts, chief, first_in=3)
        pending = ReleaseBundle.objects.filter(pk__in=bundles, status="scheduled")
        deadline = time.monotonic() + 3 + SPREAD_S + 60
        while pending.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(3)  # any second release of a bundle would land here
    finally:
        for process in (beat, worker):
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)

    late, spreads, whole = [], [], 0
    for bundle in ReleaseBundle.objects.filter(pk__in=bundles).prefetch_related("items"):
        pages = ArticlePage.objects.filter(pk__in=[item.page_id for item in bundle.items.all()])
        published = [page.last_published_at for page in pages if page.live]
        if len(published) == PAGES_PER_BUNDLE:
            whole += 1
            late.append((max(published) - bundles[bundle.pk]).total_seconds())
            spreads.append((max(published) - min(published)).total_seconds())
    publishes = PageLogEntry.objects.filter(
        page__in=[page.pk for page in drafts], action="wagtail.publish"
    ).count()
    return {
        "bundles": len(bundles),
        "released whole": whole,
        "publishes / pages": f"{publishes} / {len(drafts)}",
        "median_s": statistics.median(late) if late else None,
        "p95_s": sorted(late)[int(0.95 * (len(late) - 1))] if late else None,
        "max_s": max(late) if late else None,
        "spread in a bundle max_s": max(spreads) if spreads else None,
        "bound_s": BOUND_S,
    }


def main() -> None:
    os.environ.setdefault("BENCH_SCHEDULED", str(BUNDLES * PAGES_PER_BUNDLE))
    os.environ.setdefault("BENCH_SPREAD_S", str(SPREAD_S))
    harness.setup_django()
    total = harness.ensure_articles(ARTICLES)
    from bench import scheduling

    bundles = bundle_lateness()
    harness.print_table(
        f"Release bundles of {PAGES_PER_BUNDLE} through beat + worker, {total:,} articles "
        "(seconds after release_at)",
        [bundles],
    )
    single = scheduling.lateness()
    harness.print_table("Baseline: the same pages scheduled one by one (go_live_at)", [single])
    if bundles["median_s"] is not None and single["median_s"]:
        print(
            f"\nMedian lateness, bundle / single page: {bundles['median_s'] / single['median_s']:.2f}"
        )
    harness.write_results("releases", {"articles": total, "bundles": bundles, "single": single})


if __name__ == "__main__":
    main()
