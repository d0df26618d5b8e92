"""What a reader sees on a live page: order, key events, the pinned entry, permalinks,
pagination, corrections and removals, drafts never; and the page once coverage has ended."""

import json
import re
from datetime import timedelta

from django.utils import timezone

import pytest

from live import coverage as desk
from live.factories import LivePageFactory, entry_text
from live.models import LivePage
from tests.live.conftest import publish

pytestmark = pytest.mark.django_db

ENTRY_IDS = re.compile(r'<article class="live-entry[^"]*" id="entry-(\d+)"')


def shown_ids(html: str) -> list[int]:
    return [int(found) for found in ENTRY_IDS.findall(html)]


def post(page, user, text, **kwargs):
    return desk.post_entry(page, user=user, body=entry_text(text), **kwargs)


def json_ld(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_entries_newest_first_or_oldest_first_and_never_drafts(client, coverage, staff):
    first = post(coverage, staff["writer"], "Rain bands reach the west coast.")
    second = post(coverage, staff["writer"], "Flood warning for the river.")
    post(coverage, staff["writer"], "Secret draft sentence", publish=False)

    newest = client.get("/news/storm-amy/")
    oldest = client.get("/news/storm-amy/?order=oldest")

    assert newest.status_code == oldest.status_code == 200
    assert shown_ids(newest.text) == [second.pk, first.pk]
    assert shown_ids(oldest.text) == [first.pk, second.pk]
    for response in (newest, oldest):
        assert "Secret draft sentence" not in response.text
    assert client.get("/news/storm-amy/?order=sideways").status_code == 404


def test_key_events_summary_and_the_pinned_entry(client, coverage, staff):
    key = post(coverage, staff["editor"], "Evacuation ordered.", key_event=True)
    pinned = post(coverage, staff["editor"], "Where to find shelter.", pinned=True)
    post(coverage, staff["writer"], "Bins blown over.")

    html = client.get("/news/storm-amy/").text

    summary = re.search(r'<section class="live-key-events".*?</section>', html, re.S).group(0)
    assert f'href="#entry-{key.pk}"' in summary
    assert "Evacuation ordered." in summary
    assert "Bins blown over." not in summary
    pinned_box = re.search(r'<section class="live-pinned".*?</section>', html, re.S).group(0)
    assert f'id="pinned-entry-{pinned.pk}"' in pinned_box
    assert "Where to find shelter." in pinned_box


def test_each_entry_has_an_anchor_and_a_permalink_page(client, coverage, staff):
    entry = post(coverage, staff["writer"], "Power back in Northside.")
    draft = post(coverage, staff["writer"], "Unfinished", publish=False)

    page = client.get("/news/storm-amy/").text
    assert f'id="entry-{entry.pk}"' in page
    assert f'href="/news/storm-amy/entries/{entry.pk}/"' in page

    permalink = client.get(f"/news/storm-amy/entries/{entry.pk}/")
    assert permalink.status_code == 200
    assert "Power back in Northside." in permalink.text
    assert f'href="/news/storm-amy/#entry-{entry.pk}"' in permalink.text
    assert f'<link rel="canonical" href="http://localhost/news/storm-amy/entries/{entry.pk}/">' in (
        permalink.text
    )
    assert client.get(f"/news/storm-amy/entries/{draft.pk}/").status_code == 404


def test_older_entries_page_into_the_archive(client, coverage, staff):
    entries = [post(coverage, staff["writer"], f"Update number {n}.") for n in range(23)]

    first = client.get("/news/storm-amy/").text
    second = client.get("/news/storm-amy/?page=2").text

    assert shown_ids(first) == [entry.pk for entry in reversed(entries)][:20]
    assert shown_ids(second) == [entry.pk for entry in reversed(entries)][20:]
    assert 'href="?page=2"' in first
    assert "data-updates-url" not in second  # only the first page takes new updates
    assert client.get("/news/storm-amy/?page=3").status_code == 404


def test_corrections_and_removals_show_as_such(client, coverage, staff):
    corrected = post(coverage, staff["writer"], "Two ferries cancelled.")
    removed = post(coverage, staff["writer"], "Unverified rumour of a collapse.")
    desk.edit_entry(
        corrected,
        user=staff["writer"],
        body=entry_text("Four ferries cancelled."),
        correction_note="Four ferries were cancelled, not two.",
    )
    desk.delete_entry(removed, user=staff["editor"], note="It could not be confirmed.")

    html = client.get("/news/storm-amy/").text

    assert "Four ferries cancelled." in html
    assert "Two ferries cancelled." not in html
    assert "Four ferries were cancelled, not two." in html
    assert f'id="entry-{removed.pk}"' in html
    assert "This update was removed" in html
    assert "It could not be confirmed." in html
    assert "Unverified rumour" not in html


def test_the_page_works_without_javascript_and_offers_the_poll_to_those_with_it(client, coverage):
    html = client.get("/news/storm-amy/").text

    assert 'data-updates-url="/news/storm-amy/updates/"' in html
    assert 'data-cursor="0"' in html
    assert "js/live.js" in html
    assert "No updates yet." in html


def test_ended_coverage_reads_as_an_archived_story(client, coverage, staff):
    post(coverage, staff["writer"], "The storm has passed.")
    desk.end_coverage(coverage, user=staff["editor"])

    html = client.get("/news/storm-amy/").text

    assert "Coverage ended" in html
    assert "This live coverage has ended." in html
    assert "The storm has passed." in html
    assert "data-updates-url" not in html
    assert "js/live.js" not in html
    assert LivePage.objects.on_air().count() == 0


def test_on_air_is_live_public_coverage_that_has_started(coverage, newsroom):
    later = publish(
        LivePageFactory(
            parent=newsroom["news"],
            slug="later",
            coverage_start=timezone.now() + timedelta(hours=2),
        )
    )
    draft = LivePageFactory(parent=newsroom["news"], slug="draft", live=False)

    on_air = list(LivePage.objects.on_air())

    assert on_air == [coverage]
    assert later not in on_air and draft not in on_air
    assert LivePage.objects.on_air(now=timezone.now() + timedelta(hours=3))[0] == later


def test_a_page_not_yet_published_is_not_found_on_any_of_its_routes(client, newsroom, staff):
    page = LivePageFactory(parent=newsroom["news"], slug="embargoed", live=False)
    entry = post(page, staff["editor"], "Embargoed sentence")
    for path in ("", "updates/", "feed/", "feed/atom/", f"entries/{entry.pk}/"):
        assert client.get(f"/news/embargoed/{path}").status_code == 404, path


def test_live_blog_posting_structured_data(
    client, coverage, staff, django_capture_on_commit_callbacks
):
    entry = post(coverage, staff["writer"], "Gusts of 140 km/h recorded on the pier.")
    post(coverage, staff["writer"], "Draft only", publish=False)

    [data] = json_ld(client.get("/news/storm-amy/").text)

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == "Storm Amy: live"
    assert data["url"] == data["mainEntityOfPage"]["@id"] == "http://localhost/news/storm-amy/"
    assert data["coverageStartTime"] == timezone.localtime(coverage.coverage_start).isoformat()
    assert "coverageEndTime" not in data
    assert data["description"] == "The storm reaches the coast tonight."
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Writer",
            "url": "http://localhost/staff/writer/",
            "jobTitle": "Reporter",
        }
    ]
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    [update] = data["liveBlogUpdate"]
    assert update == {
        "@type": "BlogPosting",
        "headline": "Gusts of 140 km/h recorded on the pier.",
        "url": f"http://localhost/news/storm-amy/entries/{entry.pk}/",
        "datePublished": timezone.localtime(entry.published_at).isoformat(),
        "dateModified": timezone.localtime(entry.published_at).isoformat(),
        "articleBody": "Gusts of 140 km/h recorded on the pier.",
        "author": [data["author"][0]],
    }

    with django_capture_on_commit_callbacks(execute=True):  # the purge runs after commit
        desk.end_coverage(coverage, user=staff["editor"])
    [ended] = json_ld(client.get("/news/storm-amy/").text)
    assert (
        ended["coverageEndTime"]
        == timezone.localtime(LivePage.objects.get(pk=coverage.pk).coverage_end).isoformat()
    )
