"""`/share/<token>/` as a reader meets it: the draft for the named recipient, private and
unindexed, and a plain 404 with nothing of the draft for any token that does not open it."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from wagtail.models import PageLogEntry
from wagtail.search.backends import get_search_backend

import pytest
import redis

from sharing.models import USE_ACTION, ShareLink
from tests.sharing.conftest import SENTINEL, USER_AGENT

pytestmark = pytest.mark.django_db


def share(page, user, **options):
    options = {"recipient": "Jo Smith", "pin_revision": False, "hours": 48, **options}
    link, token = ShareLink.objects.create_for(page=page, user=user, **options)
    return link, f"/share/{token}/"


def page_cache_contents() -> list[bytes]:
    """Every key and stored value in the page cache's Redis database."""
    client = redis.Redis.from_url(settings.CACHE_REDIS_URL)
    try:
        keys = client.keys("*")
        return [*keys, *(client.dump(key) or b"" for key in keys)]
    finally:
        client.close()


def assert_refused(response):
    assert response.status_code == 404
    body = response.content.decode()
    assert SENTINEL not in body
    assert "This link is not available" in body
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"].startswith("noindex")


def test_recipient_reads_the_draft_privately_and_unindexed(reader, draft, staff):
    link, url = share(draft, staff["writer"])

    response = reader.get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert f"Council hid the audit {SENTINEL}" in body
    assert f"The audit found the books did not balance. {SENTINEL}" in body
    assert "shared with Jo Smith" in body
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow, noarchive"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert "X-Cache" not in response
    # A draft has no readers: no view beacon, reactions or reader comment form.
    assert "data-view-beacon" not in body
    assert 'id="feedback"' not in body
    assert 'id="comments"' not in body
    assert "Share this story" not in body  # the social buttons: a confidential draft


def test_each_view_is_counted_and_audited_with_its_address(reader, draft, staff):
    link, url = share(draft, staff["writer"])

    reader.get(url, REMOTE_ADDR="203.0.113.9")
    reader.get(url, REMOTE_ADDR="203.0.113.10")

    link.refresh_from_db()
    assert link.view_count == 2
    uses = PageLogEntry.objects.filter(page=draft, action=USE_ACTION).order_by("pk")
    assert [(entry.data["address"], entry.data["view"], entry.user) for entry in uses] == [
        ("203.0.113.9", 1, None),
        ("203.0.113.10", 2, None),
    ]
    assert uses[0].data["recipient"] == "Jo Smith"
    assert uses[0].data["user_agent"] == USER_AGENT
    assert uses[0].message == "Share link opened by Jo Smith from 203.0.113.9 (view 1)"


def test_a_shared_draft_is_never_cached_and_never_poisons_the_live_page(
    reader, draft, staff, client
):
    """The story is live; its new draft is shared. The share link's answers are never stored,
    and readers of the live page never see the draft."""
    draft.save_revision(user=staff["chief"]).publish(skip_permission_checks=True)
    draft.refresh_from_db()
    live_url = draft.url
    newer = draft.get_latest_revision_as_object()
    newer.title = f"Corrected headline Quokka-Draft-991 {SENTINEL}"
    newer.save_revision(user=staff["writer"])
    _, url = share(draft, staff["writer"])

    for _ in range(2):
        response = reader.get(url)
        assert "Quokka-Draft-991" in response.content.decode()
        assert "X-Cache" not in response
    assert not any(b"Quokka-Draft-991" in entry for entry in page_cache_contents())
    assert not any(b"/share/" in entry for entry in page_cache_contents())

    answers = [reader.get(live_url) for _ in range(2)]
    assert [answer["X-Cache"] for answer in answers] == ["MISS", "HIT"]
    assert all("Quokka-Draft-991" not in answer.content.decode() for answer in answers)
    assert not any(b"Quokka-Draft-991" in entry for entry in page_cache_contents())


def test_a_shared_draft_is_in_no_feed_sitemap_or_search(reader, draft, staff):
    _, url = share(draft, staff["writer"])
    assert reader.get(url).status_code == 200
    get_search_backend().add(draft)  # even if it were indexed: search lists live stories only
    token = url.split("/")[2]

    for place in (
        "/news/feed/",
        "/news/feed/atom/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/search/?q=audit+council",  # words of the draft (the query itself is echoed)
        "/search/autocomplete/?q=Council",
        "/news/",
        "/",
    ):
        response = reader.get(place)
        body = response.content.decode()
        assert response.status_code == 200, place
        assert SENTINEL not in body, place
        assert token not in body and "/share/" not in body, place


def test_revoked_link_answers_404_at_once(reader, draft, staff):
    link, url = share(draft, staff["writer"])
    assert reader.get(url).status_code == 200

    link.revoke(user=staff["writer"])

    assert_refused(reader.get(url))
    link.refresh_from_db()
    assert link.view_count == 1
    assert PageLogEntry.objects.filter(page=draft, action=USE_ACTION).count() == 1


def test_expired_link_answers_404(reader, draft, staff):
    link, url = share(draft, staff["writer"], hours=1)
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert_refused(reader.get(url))
    link.refresh_from_db()
    assert link.view_count == 0


def test_view_limit_allows_exactly_that_many_views(reader, draft, staff):
    link, url = share(draft, staff["writer"], max_views=2)

    statuses = [reader.get(url).status_code for _ in range(2)]
    assert statuses == [200, 200]
    assert_refused(reader.get(url))
    link.refresh_from_db()
    assert link.view_count == 2
    assert link.state() == "used up"


def test_pinned_link_shows_its_version_and_latest_link_the_newest_draft(reader, draft, staff):
    _, pinned_url = share(draft, staff["writer"], pin_revision=True)
    _, latest_url = share(draft, staff["writer"], pin_revision=False)
    newer = draft.get_latest_revision_as_object()
    newer.title = "Council publishes the audit in full"
    newer.save_revision(user=staff["writer"])

    pinned = reader.get(pinned_url).content.decode()
    latest = reader.get(latest_url).content.decode()

    assert f"Council hid the audit {SENTINEL}" in pinned
    assert "Council publishes the audit in full" not in pinned
    assert "Council publishes the audit in full" in latest


def test_a_deleted_pinned_revision_closes_its_links(reader, draft, staff):
    link, url = share(draft, staff["writer"], pin_revision=True)
    link.revision.delete()

    assert not ShareLink.objects.filter(pk=link.pk).exists()
    assert_refused(reader.get(url))


@pytest.mark.parametrize(
    "path",
    [
        "/share/unknown-token/",
        "/share/" + "A" * 43 + "/",  # the right shape, never made
        "/share/" + "a" * 10_000 + "/",
        "/share/%E2%80%AEtok%C3%A9n%F0%9F%94%91/",
        "/share/..%2F..%2Fadmin%2F/",
        "/share/../../etc/passwd/",
        "/share/%00/",
        "/share/%ff%fe/",
        "/share/" + "A" * 42 + "%00/",
    ],
)
def test_hostile_tokens_are_a_plain_404(reader, draft, staff, path):
    share(draft, staff["writer"])

    response = reader.get(path)

    assert response.status_code in (400, 404), response.status_code
    assert SENTINEL not in response.content.decode()
    assert ShareLink.objects.get().view_count == 0


def test_link_previews_and_prefetches_get_nothing_and_spend_no_view(client, draft, staff):
    link, url = share(draft, staff["writer"], max_views=1)

    for headers in (
        {},  # no user agent at all
        {"User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"},
        {"User-Agent": "facebookexternalhit/1.1"},
        {"User-Agent": USER_AGENT, "Sec-Purpose": "prefetch"},
    ):
        assert_refused(client.get(url, headers=headers))

    link.refresh_from_db()
    assert link.view_count == 0
    assert client.get(url, headers={"User-Agent": USER_AGENT}).status_code == 200


def test_guessing_tokens_is_rate_limited_per_address(reader, draft, staff):
    _, url = share(draft, staff["writer"])
    for attempt in range(60):
        assert reader.get(f"/share/{attempt:043d}/", REMOTE_ADDR="198.51.100.7").status_code == 404

    refused = reader.get(url, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert SENTINEL not in refused.content.decode()
    assert refused["Cache-Control"] == "private, no-store"
    # Another address is unaffected.
    assert reader.get(url, REMOTE_ADDR="198.51.100.8").status_code == 200


def test_only_get_opens_a_link(reader, draft, staff):
    link, url = share(draft, staff["writer"])
    assert reader.post(url).status_code == 405
    assert reader.head(url).status_code == 405
    link.refresh_from_db()
    assert link.view_count == 0


def test_a_section_page_draft_can_be_shared_too(reader, newsroom, staff):
    section = newsroom["news"]
    newer = section.get_latest_revision_as_object()
    newer.title = f"World news (relaunch) {SENTINEL}"
    newer.save_revision(user=staff["editor"])
    _, url = share(section, staff["editor"])

    response = reader.get(url)

    assert response.status_code == 200
    assert f"World news (relaunch) {SENTINEL}" in response.content.decode()
    assert reader.get("/news/").content.decode().count(SENTINEL) == 0


def test_an_embargoed_draft_opens_only_for_a_recipient_cleared_for_the_embargo(
    reader, draft, staff
):
    draft.embargo_until = timezone.now() + timedelta(hours=6)
    draft.save_revision(user=staff["writer"])
    _, plain = share(draft, staff["writer"])
    _, cleared_url = share(draft, staff["chief"], recipient="Partner desk", embargo_cleared=True)

    assert_refused(reader.get(plain))
    response = reader.get(cleared_url)
    assert response.status_code == 200
    assert f"Council hid the audit {SENTINEL}" in response.content.decode()
