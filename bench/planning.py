"""The story budget: how long a chief editor waits for a day of 300 assignments with 100,000
articles in the database, and how many queries it takes.

    python -m bench.planning              (or: make bench ARGS=planning)

Environment: BENCH_ARTICLES (default 100000), BENCH_ASSIGNMENTS (the busy day, default 300),
BENCH_REPEAT (timed requests per view, default 60).

Baselines measured in the same run, through the same in-process admin client: the budget of an
empty day (the admin's own cost: menus, hooks, panels) and Wagtail's page explorer for the news
section (a stock admin listing over the same 100,000 pages).
"""

import os
import random
from datetime import datetime, time, timedelta

from bench import harness

ARTICLES = int(os.environ.get("BENCH_ARTICLES", "100000"))
ASSIGNMENTS = int(os.environ.get("BENCH_ASSIGNMENTS", "300"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "60"))
GOAL_P95_MS = 300  # issue 20


def busy_day(count: int):
    """`count` assignments slotted through one day a year ahead (so no other run's plan shares
    it), in every section, two people each; a third linked to published articles, a sixth
    spiked. Created once: a second run reuses them."""
    from django.contrib.auth.models import User
    from django.db import transaction

    from editorial.desk import newsroom_zone
    from news.models import ArticlePage, NewsIndexPage
    from planning.models import Assignment, AssignmentRole

    zone = newsroom_zone()
    day = datetime.now(zone).date() + timedelta(days=365)
    start = datetime.combine(day, time(6), zone)
    planned = Assignment.objects.filter(slot_at__gte=start, slot_at__lt=start + timedelta(days=1))
    if planned.count() >= count:
        return day
    sections = list(NewsIndexPage.objects.filter(depth__gte=4)) or list(NewsIndexPage.objects.all())
    people = [User.objects.get_or_create(username=f"bench-reporter-{n}")[0] for n in range(12)]
    taken = Assignment.objects.exclude(article=None).values("article_id")
    articles = list(
        ArticlePage.objects.live().exclude(pk__in=taken).values_list("pk", flat=True)[: count // 3]
    )
    rng = random.Random(20)
    with transaction.atomic():
        for n in range(count - planned.count()):
            slot = start + timedelta(minutes=(n * 7) % (16 * 60))
            assignment = Assignment.objects.create(
                headline=f"Budget line {n}: {rng.choice(['vote', 'storm', 'match', 'trial'])}",
                section=sections[n % len(sections)],
                due_at=slot - timedelta(hours=2),
                slot_at=slot,
                word_target=rng.choice((400, 800)),
                article_id=articles.pop() if n % 3 == 0 and articles else None,
                killed_at=slot if n % 6 == 5 else None,
            )
            AssignmentRole.objects.bulk_create(
                [
                    AssignmentRole(assignment=assignment, user=people[n % 12]),
                    AssignmentRole(
                        assignment=assignment,
                        user=people[(n + 5) % 12],
                        role=AssignmentRole.Role.PHOTOGRAPHER,
                    ),
                ]
            )
    return day


def chief_client():
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from editorial.newsroom import CHIEF_EDITORS, install_newsroom

    install_newsroom()
    chief, _ = User.objects.get_or_create(username="bench-chief", defaults={"is_staff": True})
    chief.groups.add(Group.objects.get(name=CHIEF_EDITORS))
    client = Client(HTTP_HOST="localhost")
    client.force_login(chief)
    return client


def measure(client, url: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    with CaptureQueriesContext(connection) as queries:
        get()
    return {"queries": len(queries), **harness.time_calls(get, repeat=REPEAT)}


def main() -> None:
    os.environ["ADMIN_REQUIRE_2FA"] = "0"  # the bench signs its chief in directly
    harness.setup_django()
    total = harness.ensure_articles(ARTICLES)
    from news.models import NewsIndexPage

    day = busy_day(ASSIGNMENTS)
    client = chief_client()
    news = NewsIndexPage.objects.order_by("depth", "path").first()
    with harness.plain_storages():
        rows = [
            {
                "view": f"budget, {ASSIGNMENTS} assignments",
                **measure(client, f"/admin/planning/budget/?day={day}"),
            },
            {
                "view": "budget, empty day",
                **measure(client, f"/admin/planning/budget/?day={day + timedelta(days=1)}"),
            },
            {
                "view": "budget, week (same 300)",
                **measure(client, f"/admin/planning/budget/?day={day}&span=week"),
            },
            {
                "view": "wagtail explorer, news section",
                **measure(client, f"/admin/pages/{news.pk}/"),
            },
        ]
    busy, empty, _week, explorer = rows
    harness.print_table(f"The story budget with {total:,} live articles (ms)", rows)
    ratios = {
        "busy / empty day (p95)": busy["p95_ms"] / empty["p95_ms"],
        "busy / wagtail explorer (p95)": busy["p95_ms"] / explorer["p95_ms"],
        f"goal p95 < {GOAL_P95_MS} ms": "met" if busy["p95_ms"] < GOAL_P95_MS else "NOT met",
    }
    harness.print_table("Ratios", [ratios])
    harness.write_results("planning", {"articles": total, "rows": rows, "ratios": ratios})


if __name__ == "__main__":
    main()
