"""Delivery: the update endpoint answers from the shared page cache with no database query,
an entry change purges exactly the page, endpoint, feeds and permalink that show it, and the
feeds carry the entries."""

import re

from django.core.cache import cache

import pytest

from live import coverage as desk
from live.factories import entry_text
from news.caching import path_key
from news.factories import ArticlePageFactory
from news.middleware import PageCacheMiddleware

pytestmark = pytest.mark.django_db

PAGE = "/news/storm-amy/"
UPDATES = f"{PAGE}updates/"


def post(page, user, text, **kwargs):
    return desk.post_entry(page, user=user, body=entry_text(text), **kwargs)


def test_the_endpoint_returns_what_changed_since_the_readers_cursor(client, coverage, staff):
    first = post(coverage, staff["writer"], "Schools closed tomorrow.")
    second = post(coverage, staff["editor"], "Army called in.", key_event=True)
    post(coverage, staff["writer"], "Draft: unconfirmed casualty figure", publish=False)

    everything = client.get(f"{UPDATES}?since=0").json()
    assert everything["cursor"] == second.sequence
    assert everything["status"] == "live"
    assert everything["complete"] is True
    assert [
        (e["id"], e["sequence"], e["state"], e["key_event"]) for e in everything["entries"]
    ] == [
        (first.pk, first.sequence, "published", False),
        (second.pk, second.sequence, "published", True),
    ]
    assert "Army called in." in everything["entries"][1]["html"]
    assert f'id="entry-{second.pk}"' in everything["entries"][1]["html"]
    assert "Army called in." in everything["key_events_html"]
    assert "unconfirmed casualty" not in str(everything)

    up_to_date = client.get(f"{UPDATES}?since={second.sequence}").json()
    assert up_to_date == {
        "cursor": second.sequence,
        "status": "live",
        "complete": True,
        "entries": [],
        "key_events_html": None,
    }
    # A correction of an older entry reaches readers who already have it.
    desk.edit_entry(
        first,
        user=staff["writer"],
        body=entry_text("Schools closed on Tuesday."),
        correction_note="Tuesday, not tomorrow.",
    )
    corrected = client.get(f"{UPDATES}?since={second.sequence}&fresh=1").json()
    assert [(e["id"], e["state"]) for e in corrected["entries"]] == [(first.pk, "corrected")]
    for junk in ("-1", "abc", "1e9", "9" * 13):
        assert client.get(f"{UPDATES}?since={junk}").status_code == 404


def test_a_poll_answered_from_the_cache_costs_no_database_query(
    client, coverage, staff, django_assert_num_queries
):
    post(coverage, staff["writer"], "Roads reopen.")
    first = client.get(f"{UPDATES}?since=1")
    assert first["X-Cache"] == "MISS"
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=5, stale-while-revalidate=60"

    with django_assert_num_queries(0):
        hit = client.get(f"{UPDATES}?since=1")

    assert hit["X-Cache"] == "HIT"
    assert hit.json() == first.json()
    assert not hit.cookies


def test_an_entry_change_purges_exactly_what_shows_it(coverage, staff):
    entry = post(coverage, staff["writer"], "Trains suspended.")

    assert desk.coverage_paths(coverage, [entry]) == {
        PAGE,
        UPDATES,
        f"{PAGE}feed/",
        f"{PAGE}feed/atom/",
        f"{PAGE}entries/{entry.pk}/",
    }


def test_a_new_entry_shows_on_the_next_poll_and_page_while_other_pages_stay_cached(
    client, coverage, staff, newsroom, django_capture_on_commit_callbacks
):
    other = ArticlePageFactory(parent=newsroom["news"], title="Library hours", slug="library")
    warm = [PAGE, f"{UPDATES}?since=0", f"{PAGE}feed/", "/", "/news/", other.url]
    for path in warm:
        client.get(path)
        assert client.get(path)["X-Cache"] == "HIT", path

    # No worker runs here: the posting request itself forgets the plain pages and the poll
    # every up-to-date reader is making.
    with django_capture_on_commit_callbacks(execute=True):
        entry = post(coverage, staff["writer"], "Airport closes at noon.")

    for path in (PAGE, f"{UPDATES}?since=0", f"{PAGE}feed/"):
        response = client.get(path)
        assert response["X-Cache"] == "MISS", path
        assert "Airport closes at noon." in response.text, path
    assert client.get(f"{UPDATES}?since=0").json()["entries"][0]["id"] == entry.pk
    for path in ("/", "/news/", other.url):
        assert client.get(path)["X-Cache"] == "HIT", path


def test_a_poll_that_read_the_page_before_an_entry_never_hides_the_entry_afterwards(
    client, rf, coverage, staff, django_capture_on_commit_callbacks
):
    """A reader's poll is rendering the state before a post when the post commits and purges;
    the poll's answer reaches the cache only after that. Kept, it would hide the new entry from
    every up-to-date reader for the endpoint's whole lifetime."""
    entry = None

    def slow_render(request):
        nonlocal entry
        before = client.get(f"{UPDATES}?since=0")
        with django_capture_on_commit_callbacks(execute=True):
            entry = post(coverage, staff["writer"], "Bridge reopens.")
        return before

    answer = PageCacheMiddleware(slow_render)(rf.get(UPDATES, {"since": "0"}))
    assert answer.json()["entries"] == []

    poll = client.get(f"{UPDATES}?since=0")
    assert [shown["id"] for shown in poll.json()["entries"]] == [entry.pk]


def test_a_draft_entry_purges_nothing(client, coverage, staff, django_capture_on_commit_callbacks):
    client.get(f"{UPDATES}?since=0")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        post(coverage, staff["writer"], "Not yet", publish=False)
    assert callbacks == []
    assert cache.get(path_key(UPDATES, "since=0")) is not None


def test_feeds_carry_the_entries_but_never_drafts_or_removed_ones(client, coverage, staff):
    kept = post(coverage, staff["writer"], "Gale warning lifted for the north.")
    removed = post(coverage, staff["writer"], "Removed line")
    post(coverage, staff["writer"], "Draft line", publish=False)
    desk.delete_entry(removed, user=staff["writer"])

    rss = client.get(f"{PAGE}feed/")
    atom = client.get(f"{PAGE}feed/atom/")

    assert rss["Content-Type"].startswith("application/rss+xml")
    assert atom["Content-Type"].startswith("application/atom+xml")
    for feed in (rss.text, atom.text):
        assert "Storm Amy: live" in feed
        assert "Gale warning lifted for the north." in feed
        assert f"http://localhost{PAGE}entries/{kept.pk}/" in feed
        assert "Removed line" not in feed and "Draft line" not in feed
    assert len(re.findall(r"<item>", rss.text)) == 1
