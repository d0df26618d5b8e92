"""Nothing leaks: hidden stories are nowhere a reader looks, and a writer cannot see a colleague's
draft through any admin URL that takes a page id.

Part (c) does the same for live coverage (a draft entry, coverage never published or embargoed).
Part (a) runs against a real Celery worker, so purges and "Continue reading" recomputes happen the
way they do in production; every public URL is requested twice, the second answer coming from
the page cache. Part (b) derives the admin URLs from the URL resolver, so an admin view added by a
Wagtail upgrade is covered without editing this file.
"""

import re
import time
from datetime import timedelta
from urllib.parse import quote

from django.contrib.auth.models import User
from django.db import close_old_connections
from django.test import Client
from django.urls import get_resolver, reverse
from django.urls.resolvers import URLResolver
from django.utils import timezone

from wagtail.models import Collection, PageViewRestriction

import pytest
import redis
import time_machine
from celery.worker import state as worker_state

from editorial.scheduling import run_schedule
from live.models import LivePage
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


# The hidden stories follow the companion's story, each its own report (related, not wire copies
# of it or of each other: near-copies are never suggested together, news.related).
VOLCANO_FOLLOW_UPS = [
    (
        "Volcano island evacuation: families leave as lava nears the harbour",
        "Ferries carried hundreds of families away overnight, rescue crews said.",
        ["Schools became shelters while the volcano's lava reached the harbour road."],
    ),
    (
        "Ash cloud from the volcano grounds every flight to the island",
        "Airlines cancelled departures and stranded tourists waited in the terminal.",
        ["Pilots reported thick ash at high altitude above the erupting volcano."],
    ),
    (
        "Geologists fear a second eruption as magma pressure builds",
        "Instruments on the crater rim recorded swelling ground and sulphur gas.",
        ["Scientists warned that the magma chamber beneath the volcano was refilling."],
    ),
    (
        "Farmers count the cost of lava flows across island vineyards",
        "Orchards and vineyards burned as molten rock crossed the valley.",
        ["Growers said the volcano had destroyed three harvests' worth of vines."],
    ),
    (
        "Island hospital treats dozens for breathing problems after the eruption",
        "Doctors handed out masks as fine volcanic ash settled on the town.",
        ["Nurses said children and elderly patients were worst affected by the ash."],
    ),
    (
        "Insurers brace for claims as the volcano's lava destroys homes",
        "Loss adjusters arrived on the island to assess damaged streets.",
        ["Homeowners near the volcano queued to file claims for houses lost to lava."],
    ),
]


def volcano_story(parent, reporter, *, sentinel: str, slug: str, **fields):
    # One report per state (and one for the embargo test's story): "<state>-story".
    report = [*STATES, "embargo"].index(slug.removesuffix("-story"))
    headline, dek, body = VOLCANO_FOLLOW_UPS[report]
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


def reporter_and_companion(site_tree):
    """The hidden stories' reporter and a published story on the same topic (the companion
    whose "Continue reading" would list them)."""
    reporter = StaffProfilePageFactory(
        parent=site_tree["staff"], title="Ada Matrix", slug="ada-matrix"
    )
    headline, dek, body = VOLCANO
    companion = publish(
        ArticlePageFactory(
            parent=site_tree["news"],
            draft=True,
            slug="volcano-companion",
            title=headline,
            dek=dek,
            body=paragraphs(body),
            tags=["eruption"],
            authors=[reporter],
        )
    )
    return reporter, companion


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
    are not purged (docs/delivery-and-caching.md, "Exact invalidation": bounded by the cache lifetime), so a story that
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
    news = site_tree["news"]
    reporter, companion = reporter_and_companion(site_tree)
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


def walk_admin_urls():
    """(name, pattern) of every named admin URL, from the URL resolver."""

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
    yield from walk(admin)


def admin_url_patterns():
    """(name, pattern) of every admin URL that takes a page id, from the URL resolver."""
    for name, pattern in walk_admin_urls():
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


# --- (c) Bulk actions and choosers: a colleague's headline is never listed ----------------------


def bulk_action_urls(*, page, parent) -> list[str]:
    """Every page bulk action in Wagtail's registry, about `page` by id and about every child of
    `parent` (`id=all`), as the explorer's "select all" sends it."""
    from wagtail.admin.views.bulk_action.registry import bulk_action_registry

    actions = [
        a.action_type
        for a in bulk_action_registry.get_bulk_actions_for_model("wagtailcore", "page")
    ]
    assert {"delete", "publish", "unpublish", "move"} <= set(actions), actions
    urls = []
    for action in actions:
        base = reverse("wagtail_bulk_action", args=("wagtailcore", "page", action))
        urls += [f"{base}?id={page.pk}", f"{base}?id=all&childOf={parent.pk}"]
    return urls


def chooser_urls() -> list[str]:
    """Every admin chooser view that needs no URL argument, from the URL resolver; each answers
    a search for the sentinel."""
    urls = []
    for name, pattern in walk_admin_urls():
        if ("choose" in name or "chooser" in name) and not pattern.regex.groupindex:
            urls.append(reverse(name))
    return urls


@pytest.mark.django_db
def test_bulk_action_confirmations_never_name_a_colleagues_draft(
    colleague_draft, as_role, newsroom
):
    draft, sentinel = colleague_draft
    urls = bulk_action_urls(page=draft, parent=newsroom["news"])
    draft.refresh_from_db()
    before = (draft.title, draft.latest_revision_id, draft.live, draft.url_path)
    writer_a = as_role("writer")
    for url in urls:
        for method in ("get", "post"):
            response = getattr(writer_a, method)(url)
            assert sentinel not in response.content.decode(), (method, url)
            assert response.status_code == 403, (method, url, response.status_code)
    draft.refresh_from_db()
    assert (draft.title, draft.latest_revision_id, draft.live, draft.url_path) == before

    # Its owner still gets the confirmation page, naming it: the check above could fail.
    own = as_role("writer_b").get(urls[0])
    assert own.status_code == 200 and sentinel in own.content.decode()


@pytest.mark.django_db
def test_no_chooser_finds_a_colleagues_draft(colleague_draft, as_role):
    from wagtail.search.backends import get_search_backend

    draft, sentinel = colleague_draft
    get_search_backend().add(draft)  # as the on-commit indexing task would
    urls = chooser_urls()
    assert any("choose-page" in url for url in urls) and len(urls) >= 8, urls
    writer_a = as_role("writer")
    for url in urls:
        for query in (f"?q={sentinel}", f"?q={sentinel}&results=true", ""):
            response = writer_a.get(url + query)
            assert response.status_code < 500, (url + query, response.status_code)
            # The search box echoes the query; the headline is the query's result.
            assert draft.title not in response.content.decode(), url + query
    # The owner finds it through the page chooser's search: the search does look for it.
    found = as_role("writer_b").get(f"{reverse('wagtailadmin_choose_page_search')}?q={sentinel}")
    assert draft.title in found.content.decode()


@pytest.mark.django_db
def test_pinning_a_colleagues_draft_neither_names_nor_saves_it(colleague_draft, as_role, staff):
    from tests.editorial.conftest import complete_article, edit_form

    draft, sentinel = colleague_draft
    writer_a = as_role("writer")
    mine = complete_article(draft.get_parent(), staff["writer"], title="My own volcano story")
    data = edit_form(writer_a, mine)
    data.update(
        {
            "related_pins-TOTAL_FORMS": "1",
            "related_pins-INITIAL_FORMS": "0",
            "related_pins-0-related": str(draft.pk),
            "related_pins-0-ORDER": "1",
            "related_pins-0-id": "",
            "related_pins-0-DELETE": "",
        }
    )
    response = writer_a.post(f"/admin/pages/{mine.pk}/edit/", data)
    assert sentinel not in response.content.decode()
    assert response.status_code == 200  # the form comes back with an error, not saved
    mine.refresh_from_db()
    assert list(mine.get_latest_revision_as_object().related_pins.all()) == []
    again = writer_a.get(f"/admin/pages/{mine.pk}/edit/")
    assert sentinel not in again.content.decode()


def body_with_related_link(page_id: int) -> dict:
    """The edit form's body field: one "Related" link block choosing page `page_id`."""
    from wagtail.test.utils.form_data import nested_form_data, streamfield

    related = {"page": str(page_id), "url": "", "title": "Read more"}
    return nested_form_data({"body": streamfield([("related_link", related)])})


@pytest.mark.django_db
def test_a_body_link_to_a_colleagues_draft_neither_names_nor_saves_it(
    colleague_draft, as_role, staff
):
    from tests.editorial.conftest import complete_article, edit_form

    draft, sentinel = colleague_draft
    writer_a = as_role("writer")
    mine = complete_article(draft.get_parent(), staff["writer"], title="My own volcano story")
    before = mine.latest_revision_id
    data = edit_form(writer_a, mine)
    data.update(body_with_related_link(draft.pk))
    response = writer_a.post(f"/admin/pages/{mine.pk}/edit/", data)
    html = response.content.decode()
    assert response.status_code == 200  # the form comes back with an error, not saved
    assert sentinel not in html
    assert "Choose a story you may open: this one is not yours to link to." in html
    mine.refresh_from_db()
    assert mine.latest_revision_id == before
    # The preview of the same form renders nothing either (it is refused as invalid).
    preview = writer_a.post(f"/admin/pages/{mine.pk}/edit/preview/", data)
    assert sentinel not in preview.content.decode()
    assert preview.json()["is_valid"] is False

    # A story linked before (by someone who could open the draft) shows an empty choice.
    mine.body = [("related_link", {"page": draft, "url": "", "title": "Read more"})]
    mine.save_revision(user=staff["editor"])
    again = writer_a.get(f"/admin/pages/{mine.pk}/edit/")
    assert sentinel not in again.content.decode()

    # Its owner links to it and sees its headline in the chooser: the checks above could fail.
    own = complete_article(draft.get_parent(), staff["writer_b"], title="Writer B's follow-up")
    data = edit_form(as_role("writer_b"), own)
    data.update(body_with_related_link(draft.pk))
    saved = as_role("writer_b").post(f"/admin/pages/{own.pk}/edit/", data)
    assert saved.status_code == 302
    shown = as_role("writer_b").get(f"/admin/pages/{own.pk}/edit/")
    assert sentinel in shown.content.decode()


# --- (c) The planning desk: every planning URL, every role -----------------------------------

PRIVATE_PITCH = "Wallaby-Pitch-4410"
PLANNING_NAMESPACES = ("planning:", "planning_pitch:", "planning_assignment:")
DENIED = (302, 400, 403, 404, 405)


def planning_urls(*, pitch, assignment) -> dict[str, tuple[str, bool]]:
    """Every planning admin URL by name: (url, whether it is about one object)."""
    urls = {}
    for name, pattern in walk_admin_urls():
        if not name.startswith(PLANNING_NAMESPACES):
            continue
        params = set(pattern.regex.groupindex)
        assert params <= {"pk"}, f"{name} takes {params}: give it a value in this test"
        target = assignment if name.startswith("planning_assignment:") else pitch
        kwargs = {"pk": target.pk} if params else {}
        urls[name] = (reverse(name, kwargs=kwargs), bool(params))
    return urls


@pytest.fixture
def embargoed_plans(newsroom, staff):
    """Sport's plans (a section no News role has rights on) and a writer's unaccepted pitch."""
    from news.factories import NewsIndexPageFactory
    from planning.models import Assignment, AssignmentRole, Pitch

    sentinel = "Quokka-Plan-7731"
    sport = NewsIndexPageFactory(parent=newsroom["home"], title="Sport", slug="sport")
    sport_pitch = Pitch.objects.create(
        idea=f"Transfer {sentinel}",
        summary=f"Fee {sentinel}",
        section=sport,
        proposer=staff["chief"],
    )
    sport_assignment = Assignment.objects.create(
        headline=f"Derby {sentinel}",
        notes=f"Notes {sentinel}",
        section=sport,
        due_at=timezone.now() + timedelta(hours=1),
        slot_at=timezone.now() + timedelta(hours=2),
    )
    AssignmentRole.objects.create(assignment=sport_assignment, user=staff["chief"])
    private_pitch = Pitch.objects.create(
        idea="Leak Wallaby-Pitch-4410", section=newsroom["news"], proposer=staff["writer_b"]
    )
    return {
        "sentinel": sentinel,
        "sport_pitch": sport_pitch,
        "sport_assignment": sport_assignment,
        "private_pitch": private_pitch,
    }


def planning_state():
    from planning.models import Assignment, Pitch

    return (
        sorted(Pitch.objects.values_list("pk", "idea", "state", "decline_reason")),
        sorted(Assignment.objects.values_list("pk", "headline", "article_id", "killed_at")),
    )


def assert_never_shown(client, urls: dict, sentinel: str, *, who: str) -> None:
    for name, (url, about_one) in urls.items():
        for method in ("get", "post"):
            data = (
                {} if method == "get" else {"data": {"reason": "x", "idea": "x", "headline": "x"}}
            )
            response = getattr(client, method)(url, **data)
            body = response.content.decode()
            assert sentinel not in body, (who, method, name, url)
            if about_one:
                assert response.status_code in DENIED, (who, method, name, response.status_code)
            if response.status_code == 302:
                location = response["Location"].split("?")[0]
                assert location in ("/admin/", "/admin/login/") or not about_one, (
                    who,
                    method,
                    name,
                    response["Location"],
                )
            else:
                assert response.status_code < 500, (who, method, name, response.status_code)


@pytest.mark.django_db
def test_no_role_sees_plans_it_has_no_right_to_on_any_planning_url(embargoed_plans, as_role, staff):
    sentinel = embargoed_plans["sentinel"]
    sport = planning_urls(
        pitch=embargoed_plans["sport_pitch"], assignment=embargoed_plans["sport_assignment"]
    )
    private = planning_urls(
        pitch=embargoed_plans["private_pitch"], assignment=embargoed_plans["sport_assignment"]
    )
    assert {"planning:budget", "planning_pitch:accept", "planning_assignment:start_draft"} <= set(
        sport
    )
    assert len(sport) >= 20, sorted(sport)
    before = planning_state()

    assert_never_shown(Client(), sport, sentinel, who="anonymous")
    for role in ("writer", "writer_b", "editor"):
        assert_never_shown(as_role(role), sport, sentinel, who=f"{role} on Sport")
    # A colleague's pitch not yet accepted is the pitcher's and the desk's, not the writer's.
    private = {name: entry for name, entry in private.items() if name.startswith("planning_pitch")}
    assert_never_shown(as_role("writer"), private, PRIVATE_PITCH, who="writer on News")

    assert planning_state() == before

    # The check can fail: the people with the right see the same text on the same URLs.
    chief = as_role("chief")
    for name in ("planning_pitch:index", "planning_assignment:index", "planning:budget"):
        assert sentinel in chief.get(sport[name][0]).content.decode(), name
    assert sentinel in chief.get(sport["planning_assignment:edit"][0]).content.decode()
    editor = as_role("editor")
    assert PRIVATE_PITCH in editor.get(private["planning_pitch:index"][0]).content.decode()
    assert (
        PRIVATE_PITCH in as_role("writer_b").get(private["planning_pitch:edit"][0]).content.decode()
    )


@pytest.mark.django_db
def test_each_role_may_do_what_its_desk_does_and_no_more(newsroom, staff, as_role):
    """Writers pitch and see their own and accepted pitches; editors decide within their
    sections; chiefs decide everywhere."""
    from news.factories import NewsIndexPageFactory
    from planning.models import Pitch

    sport = NewsIndexPageFactory(parent=newsroom["home"], title="Sport", slug="sport")
    news_pitch = Pitch.objects.create(
        idea="Bridge", section=newsroom["news"], proposer=staff["writer"]
    )
    sport_pitch = Pitch.objects.create(idea="Derby", section=sport, proposer=staff["chief"])
    accepted = Pitch.objects.create(
        idea="Ferry", section=newsroom["news"], proposer=staff["writer_b"], state="accepted"
    )

    writer_list = as_role("writer").get("/admin/planning/pitches/").content.decode()
    assert "Bridge" in writer_list and "Ferry" in writer_list and "Derby" not in writer_list
    add_form = as_role("writer").get("/admin/planning/pitches/new/").content.decode()
    assert "News" in add_form and "Sport" not in add_form

    editor = as_role("editor")
    assert editor.get(f"/admin/planning/pitches/park/{sport_pitch.pk}/").status_code in DENIED
    assert editor.post(f"/admin/planning/pitches/park/{news_pitch.pk}/").status_code == 302
    assert (
        as_role("chief").post(f"/admin/planning/pitches/park/{sport_pitch.pk}/").status_code == 302
    )
    assert as_role("editor").get("/admin/planning/assignments/new/").status_code == 200
    assert as_role("writer").get("/admin/planning/assignments/new/").status_code in DENIED

    assert sorted(Pitch.objects.values_list("idea", "state")) == [
        ("Bridge", "parked"),
        ("Derby", "parked"),
        ("Ferry", "accepted"),
    ]
    del accepted


# --- (c) Live coverage: draft entries and coverage not yet live -------------------------------

LIVE_SENTINELS = {
    "draft entry": "quokkadraftentryzeta",
    "draft coverage": "quokkadraftcoveragezeta",
    "embargoed coverage": "quokkaembargoedcoveragezeta",
}


def live_places(*, sentinel: str, page_path: str, entry_id: int) -> dict[str, str]:
    """Every public place a live page or an entry can show up."""
    return {
        "live page": page_path,
        "live page, oldest first": f"{page_path}?order=oldest",
        "update poll": f"{page_path}updates/?since=0",
        "entry permalink": f"{page_path}entries/{entry_id}/",
        "live rss": f"{page_path}feed/",
        "live atom": f"{page_path}feed/atom/",
        "search": f"/search/?q={quote(sentinel)}",
        "autocomplete": f"/search/autocomplete/?q={quote(sentinel)}",
        "home (latest)": "/",
        "news index": "/news/",
        "rss": "/news/feed/",
        "sitemap": "/sitemap.xml",
        "news sitemap": "/news-sitemap.xml",
    }


@pytest.fixture
def live_world(site_tree, celery_worker_instance):
    """Published coverage with a draft entry; coverage never published; coverage embargoed.
    Each was read anonymously before (the unpublished pages as the 404 readers get)."""
    from live import coverage
    from live.factories import LivePageFactory, entry_text

    Collection.get_first_root_node() or Collection.add_root(name="Root")
    editor = User.objects.create_superuser("live-editor", "live@masthead.test", "pw")
    news = site_tree["news"]
    running = LivePageFactory(parent=news, title="Storm Amy: live", slug="storm-amy")
    running.save_revision().publish()
    running = LivePage.objects.get(pk=running.pk)
    coverage.post_entry(running, user=editor, body=entry_text("Winds ease overnight."))
    draft_entry = coverage.post_entry(
        running, user=editor, body=entry_text(LIVE_SENTINELS["draft entry"]), publish=False
    )
    pages = {"draft entry": (running, draft_entry)}
    for state, slug in (("draft coverage", "draft-live"), ("embargoed coverage", "embargo-live")):
        page = LivePageFactory(
            parent=news, title=f"Coverage {LIVE_SENTINELS[state]}", slug=slug, live=False
        )
        entry = coverage.post_entry(page, user=editor, body=entry_text(LIVE_SENTINELS[state]))
        pages[state] = (page, entry)
    embargoed = pages["embargoed coverage"][0]
    embargoed.go_live_at = timezone.now() + timedelta(hours=6)
    embargoed.save_revision().publish()
    drain_worker()
    return {"pages": pages, "editor": editor}


def assert_live_nowhere(client, world, state: str) -> None:
    page, entry = world["pages"][state]
    page_path = f"/news/{page.slug}/"
    for place, url in live_places(
        sentinel=LIVE_SENTINELS[state], page_path=page_path, entry_id=entry.pk
    ).items():
        # Search echoes the query, so there the page's link betrays it (as in the sitemap,
        # where the running page of the draft entry is rightly listed).
        if place in ("search", "autocomplete") or (place == "sitemap" and state != "draft entry"):
            trace_text = page_path
        else:
            trace_text = LIVE_SENTINELS[state]
        for attempt, body in enumerate(read_twice(client, place, url)):
            assert trace_text not in body, f"{state} leaks into {place}, read {attempt}"


@pytest.mark.django_db(transaction=True)
def test_draft_entries_and_coverage_not_yet_live_are_nowhere_until_published(live_world):
    from live import coverage

    reader, world = Client(), live_world
    for state in LIVE_SENTINELS:
        assert_live_nowhere(reader, world, state)

    running, draft_entry = world["pages"]["draft entry"]
    coverage.publish_entry(draft_entry, user=world["editor"])
    for state in ("draft coverage", "embargoed coverage"):
        page = world["pages"][state][0]
        page.go_live_at = None
        page.save_revision().publish()
    drain_worker()

    for state in LIVE_SENTINELS:
        page, entry = world["pages"][state]
        page_path = f"/news/{page.slug}/"
        places = live_places(sentinel=LIVE_SENTINELS[state], page_path=page_path, entry_id=entry.pk)
        for place in ("live page", "update poll", "entry permalink", "live rss", "live atom"):
            for attempt, body in enumerate(read_twice(reader, place, places[place])):
                assert LIVE_SENTINELS[state] in body, f"{state} missing from {place}, {attempt}"
        assert f"http://localhost{page_path}" in reader.get("/sitemap.xml").content.decode()


# --- (d) An embargoed story ------------------------------------------------------------------

EMBARGO_SENTINEL = "quokkaembargouzeta"


@pytest.mark.django_db(transaction=True)
def test_an_embargoed_story_is_nowhere_until_its_embargo_and_everywhere_once_published_after(
    site_tree, celery_worker_instance
):
    """Before the embargo: no publish goes through (the system's neither; a due schedule is held),
    and even a story forced live behind the gate's back (a database edit), indexed for search,
    is in no public place. Published after the embargo, it is in every one."""
    from editorial.publication_gate import PublicationRefused
    from search.tasks import update_article_index_task

    news = site_tree["news"]
    reporter, companion = reporter_and_companion(site_tree)
    until = (timezone.now() + timedelta(hours=2)).replace(microsecond=0)
    story = volcano_story(
        news, reporter, sentinel=EMBARGO_SENTINEL, slug="embargo-story", embargo_until=until
    )
    ArticleDailyViews.objects.create(article=story, day=timezone.localdate(), views=1000)
    revision = story.save_revision()
    with pytest.raises(PublicationRefused):
        revision.publish()
    revision.approved_go_live_at = timezone.now() - timedelta(seconds=1)
    revision.save(update_fields=["approved_go_live_at"])
    assert run_schedule().published == []

    # Behind the gate's back: live, with a live revision, in the search index.
    now = timezone.now()
    type(story).objects.filter(pk=story.pk).update(
        live=True, live_revision=revision, first_published_at=now, last_published_at=now
    )
    update_article_index_task(story.pk)
    drain_worker()
    story.refresh_from_db()
    reader = Client()
    places = reader_places(sentinel=EMBARGO_SENTINEL, article=story, companion=companion)
    for place, url in places.items():
        sentinel = trace(place, sentinel=EMBARGO_SENTINEL, article=story)
        for attempt, seen in enumerate(read_twice(reader, place, url)):
            assert sentinel not in seen, f"embargoed story leaks into {place} ({url}), {attempt}"

    with time_machine.travel(until + timedelta(minutes=1), tick=True):
        type(story).objects.filter(pk=story.pk).update(live=False, live_revision=None)
        assert run_schedule().published == [story.pk]  # the held schedule, after the embargo
        drain_worker()
        story.refresh_from_db()
        places = reader_places(
            sentinel=EMBARGO_SENTINEL, article=story, companion=companion, fresh_related=True
        )
        for place, url in places.items():
            sentinel = trace(place, sentinel=EMBARGO_SENTINEL, article=story)
            for attempt, seen in enumerate(read_twice(reader, place, url)):
                assert sentinel in seen, f"released story missing from {place} ({url}), {attempt}"
    assert story.live


# --- (d) Share links: only who may edit a page shares it ---------------------------------------


@pytest.mark.django_db
def test_writer_cannot_create_revoke_or_list_share_links_of_a_colleagues_draft(
    colleague_draft, as_role, staff
):
    from sharing.models import ShareLink

    draft, sentinel = colleague_draft
    link, token = ShareLink.objects.create_for(
        page=draft, user=staff["writer_b"], recipient="Lawyer Okonkwo", pin_revision=True, hours=4
    )
    writer_a = as_role("writer")
    attempts = [
        writer_a.get(f"/admin/sharing/pages/{draft.pk}/"),
        writer_a.post(
            f"/admin/sharing/pages/{draft.pk}/",
            {"recipient": "Writer A's friend", "version": "latest", "hours": "48"},
        ),
        writer_a.post(f"/admin/sharing/links/{link.pk}/revoke/"),
        writer_a.get("/admin/sharing/"),
        writer_a.get(f"/admin/pages/{draft.pk}/history/"),
    ]

    for response in attempts[:3] + attempts[4:]:
        assert response.status_code in (302, 403, 404), response.status_code
    for response in attempts:
        body = response.content.decode()
        assert sentinel not in body
        assert "Lawyer Okonkwo" not in body
        assert token not in body
    assert "/admin/sharing/pages/" not in writer_a.get("/admin/pages/").content.decode()
    assert list(ShareLink.objects.values_list("recipient", "revoked_at")) == [
        ("Lawyer Okonkwo", None)
    ]
    # The owner and the desk still may.
    assert as_role("writer_b").get(f"/admin/sharing/pages/{draft.pk}/").status_code == 200
    assert as_role("editor").get(f"/admin/sharing/pages/{draft.pk}/").status_code == 200
