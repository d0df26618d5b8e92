"""Nothing leaks: hidden stories are nowhere a reader looks, and a writer cannot see a colleague's
draft through any admin URL that takes a page id.

Part (a) runs against a real Celery worker, so purges and "Continue reading" recomputes happen the
way they do in production; every public URL is requested twice, the second answer coming from
the page cache. Part (b) derives the admin URLs from the URL resolver, so an admin view added by a
Wagtail upgrade is covered without editing this file.
"""

import re
import time
from datetime import timedelta
from urllib.parse import quote

from django.db import close_old_connections
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest
import redis
from celery.worker import state as worker_state

from editorial.scheduling import run_schedule
from news.factories import ArticlePageFactory, StaffProfilePageFactory, paragraphs
from readership.models import ArticleDailyViews
from tests.editorial.conftest import current_task_state, submit_for_review

STATES = ("draft", "embargoed", "expired", "unpublished", "private")
# One made-up word per state: searchable, and unique enough that finding it anywhere is a leak.
SENTINELS = {state: f"quokka{state}zeta" for state in STATES}
VOLCANO = (
    "Volcano eruption sends lava and ash over the island",
    "Geologists track magma, seismic tremors and a lava dome on the volcano's slopes.",
    [
        "The volcano erupted before dawn, and lava flowed towards the coastal villages.",
        "Ash clouds grounded flights while geologists measured sulphur and magma pressure.",
        "Seismic tremors under the crater suggest the lava dome is still growing.",
    ],
)
MOST_READ = re.compile(r'<section class="most-read".*?</section>', re.S)


def drain_worker(*, timeout: float = 30.0) -> None:
    """Wait until the broker queues are empty and the in-process worker is idle three times in a
    row: every purge and recompute enqueued so far has run."""
    from django.conf import settings

    broker = redis.Redis.from_url(settings.REDIS_URL)
    deadline, quiet = time.monotonic() + timeout, 0
    try:
        while quiet < 3:
            assert time.monotonic() < deadline, "the worker never went idle"
            waiting = sum(broker.llen(queue) for queue in ("realtime", "default", "bulk"))
            busy = len(worker_state.active_requests) + len(worker_state.reserved_requests)
            quiet = quiet + 1 if waiting == 0 and busy == 0 else 0
            time.sleep(0.1)
    finally:
        broker.close()
    close_old_connections()


def volcano_story(parent, reporter, *, sentinel: str, slug: str, **fields):
    headline, dek, body = VOLCANO
    return ArticlePageFactory(
        parent=parent,
        draft=True,
        slug=slug,
        title=f"{headline} {sentinel}",
        dek=f"{dek} {sentinel}",
        body=paragraphs([*body, f"Reported as {sentinel}."]),
        tags=["eruption"],
        authors=[reporter],
        **fields,
    )


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


# --- (a) Anonymous readers --------------------------------------------------------------------


def reader_places(
    *, sentinel: str, article, companion, fresh_related: bool = False
) -> dict[str, str]:
    """Every public place a story can show up, by name.

    Other articles' "Continue reading" lists are recomputed by the worker but their cached pages
    are not purged (README, "Exact invalidation": bounded by the cache lifetime), so a story that
    just became public is looked for in a fresh render (an unknown parameter skips the cache).
    """
    return {
        "article page": article.url,
        "search": f"/search/?q={quote(sentinel)}",
        "autocomplete": f"/search/autocomplete/?q={quote(sentinel)}",
        "home (latest)": "/",
        "most read": "/",
        "news index": "/news/",
        "rss": "/news/feed/",
        "atom": "/news/feed/atom/",
        "tag page": "/news/tag/eruption/",
        "tag feed": "/news/tag/eruption/feed/",
        "tag filter": "/news/?tag=eruption",
        "author page": "/staff/ada-matrix/",
        "author feed": "/staff/ada-matrix/feed/atom/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
        "continue reading": companion.url + ("?fresh=1" if fresh_related else ""),
    }


def read_twice(client, place: str, url: str) -> list[str]:
    """The body of the place, uncached then (when cacheable) from the page cache."""
    bodies = []
    for _ in range(2):
        response = client.get(url)
        assert response.status_code < 500, (place, url, response.status_code)
        body = response.content.decode()
        if place == "most read":
            found = MOST_READ.search(body)
            body = found.group(0) if found else ""
        bodies.append(body)
    return bodies


@pytest.fixture
def newsroom_world(site_tree, celery_worker_instance):
    """Five hidden stories (one per state) and a published companion on the same topic.

    Each hidden story reaches its state the way it does in production: through revisions,
    publish, unpublish, a restriction and the scheduler's expiry run; the unpublished and
    private ones (and the soon-expired one) are read anonymously while public, so a stale
    cached copy would leak them.
    """
    reporter = StaffProfilePageFactory(
        parent=site_tree["staff"], title="Ada Matrix", slug="ada-matrix"
    )
    news = site_tree["news"]
    headline, dek, body = VOLCANO
    companion = publish(
        ArticlePageFactory(
            parent=news,
            draft=True,
            slug="volcano-companion",
            title=headline,
            dek=dek,
            body=paragraphs(body),
            tags=["eruption"],
            authors=[reporter],
        )
    )
    stories = {
        state: volcano_story(news, reporter, sentinel=SENTINELS[state], slug=f"{state}-story")
        for state in STATES
    }
    stories["draft"].save_revision()
    publish(stories["embargoed"], go_live_at=timezone.now() + timedelta(hours=6))
    expires_at = timezone.now() + timedelta(hours=1)
    for state in ("unpublished", "private"):
        publish(stories[state])
    publish(stories["expired"], expire_at=expires_at)
    # Readers made these stories "most read" while they were public (or would have, for the rest).
    for story in stories.values():
        ArticleDailyViews.objects.create(article=story, day=timezone.localdate(), views=1000)
    drain_worker()
    reader = Client()
    for state in ("unpublished", "private", "expired"):
        assert SENTINELS[state] in reader.get(stories[state].url).content.decode()
        assert reader.get(stories[state].url).headers.get("X-Cache") == "HIT"

    stories["unpublished"].unpublish()
    PageViewRestriction.objects.create(
        page=stories["private"], restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    # Beat's tick after the expiry time takes the expired story down (the embargo runs longer).
    run_schedule(now=expires_at + timedelta(minutes=1))
    drain_worker()
    return {"companion": companion, "stories": stories, "reporter": reporter}


def trace(place: str, *, sentinel: str, article) -> str:
    """What betrays the story in a place: its sentinel, or its link where the page echoes the
    query (search, autocomplete) or lists nothing but links (Wagtail's sitemap)."""
    return article.url if place in ("search", "autocomplete", "sitemap") else sentinel


def assert_nowhere(client, world, state: str) -> None:
    article = world["stories"][state]
    places = reader_places(sentinel=SENTINELS[state], article=article, companion=world["companion"])
    for place, url in places.items():
        sentinel = trace(place, sentinel=SENTINELS[state], article=article)
        for attempt, body in enumerate(read_twice(client, place, url)):
            assert sentinel not in body, f"{state} story leaks into {place} ({url}), read {attempt}"


def assert_everywhere(client, world, state: str) -> None:
    article = world["stories"][state]
    places = reader_places(
        sentinel=SENTINELS[state],
        article=article,
        companion=world["companion"],
        fresh_related=True,
    )
    for place, url in places.items():
        sentinel = trace(place, sentinel=SENTINELS[state], article=article)
        for attempt, body in enumerate(read_twice(client, place, url)):
            assert sentinel in body, f"{state} story missing from {place} ({url}), read {attempt}"


@pytest.mark.django_db(transaction=True)
def test_hidden_stories_are_nowhere_and_appear_everywhere_once_published(newsroom_world):
    world, reader = newsroom_world, Client()
    stories = world["stories"]
    for state in STATES:
        assert_nowhere(reader, world, state)
    assert reader.get("/api/v2/pages/").status_code == 404  # Wagtail's public API is not mounted

    publish(stories["draft"])
    publish(stories["embargoed"], go_live_at=None)
    publish(stories["expired"], expire_at=None)
    publish(stories["unpublished"])
    PageViewRestriction.objects.filter(page=stories["private"]).delete()
    drain_worker()

    for state in STATES:
        assert_everywhere(reader, world, state)


# --- (b) A writer and a colleague's draft ----------------------------------------------------

PAGE_ID_PARAMS = {"page_id", "parent_page_id", "page_to_move_id", "page_pk"}


def admin_url_patterns():
    """(name, pattern) of every admin URL that takes a page id, from the URL resolver."""

    def walk(resolver, namespaces=()):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(
                    entry, (*namespaces, *([entry.namespace] if entry.namespace else []))
                )
            elif entry.name:
                yield ":".join((*namespaces, entry.name)), entry.pattern

    admin = next(
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == "admin/"
    )
    for name, pattern in walk(admin):
        params = set(pattern.regex.groupindex)
        # `pk` names a page only in the page views (revision compare); elsewhere a snippet's.
        if params & PAGE_ID_PARAMS or (name.startswith("wagtailadmin_pages:") and "pk" in params):
            yield name, params


def admin_urls_about(page, *, values: dict) -> list[str]:
    urls = []
    for name, params in admin_url_patterns():
        unknown = params - values.keys()
        assert not unknown, f"{name} takes {unknown}: give it a value in this test"
        urls.append(reverse(name, kwargs={param: values[param] for param in params}))
    pid = page.pk
    return [
        *urls,
        f"/admin/api/main/pages/{pid}/",
        f"/admin/api/main/pages/?child_of={pid}&for_explorer=1",
        f"/admin/choose-page/chosen-multiple/?id={pid}",
        f"/admin/pages/{pid}/revisions/compare/earliest...latest/",
        f"/admin/pages/{pid}/revisions/compare/live...latest/",
        f"/admin/pages/{pid}/edit/preview/?mode=",
    ]


@pytest.fixture
def colleague_draft(staff, newsroom, as_role):
    from tests.editorial.conftest import complete_article

    sentinel = "Wombat-Ledger-5521"
    draft = complete_article(
        newsroom["news"],
        staff["writer_b"],
        title=f"Draft {sentinel}",
        dek=f"Dek {sentinel}",
        body=paragraphs([f"Body {sentinel}"]),
    )
    submit_for_review(as_role("writer_b"), draft)
    return draft, sentinel


@pytest.mark.django_db
def test_every_admin_url_about_a_colleagues_draft_is_denied_without_its_text(
    colleague_draft, as_role, newsroom, staff
):
    draft, sentinel = colleague_draft
    task_state = current_task_state(draft)
    workflow_state = task_state.workflow_state
    values = {
        **dict.fromkeys({*PAGE_ID_PARAMS, "pk"}, draft.pk),
        "revision_id": draft.latest_revision_id,
        "revision_id_a": str(draft.latest_revision_id),
        "revision_id_b": "latest",
        "destination_id": newsroom["news"].pk,
        "action_name": "approve",
        "task_state_id": task_state.pk,
        "task_id": task_state.task_id,
        "workflow_state_id": workflow_state.pk,
        "workflow_pk": workflow_state.workflow_id,
        "content_type_app_name": "news",
        "content_type_model_name": "articlepage",
    }
    urls = admin_urls_about(draft, values=values)
    assert len(urls) >= 30, urls  # the resolver walk found Wagtail's page views
    before = (draft.title, draft.latest_revision_id, draft.live, draft.locked, draft.url_path)
    writer_a = as_role("writer")

    for url in urls:
        for method in ("get", "post"):
            response = getattr(writer_a, method)(
                url, **({} if method == "get" else {"data": {"title": "x"}})
            )
            assert sentinel not in response.content.decode(), (method, url)
            # 400: the admin API refuses a listing under a page the user may not explore.
            assert response.status_code in (302, 400, 403, 404, 405), (
                method,
                url,
                response.status_code,
            )
            if response.status_code == 302:
                assert response["Location"].split("?")[0] in ("/admin/", "/admin/login/"), (
                    method,
                    url,
                    response["Location"],
                )
            assert sentinel not in response.content.decode(), (method, url)

    draft.refresh_from_db()
    after = (draft.title, draft.latest_revision_id, draft.live, draft.locked, draft.url_path)
    assert after == before
    assert current_task_state(draft).pk == task_state.pk  # nobody approved it on A's behalf
