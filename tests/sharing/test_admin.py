"""Share links in the admin: made, listed with their state and revoked by who may edit the page."""

import re

from wagtail.models import PageLogEntry

import pytest

from sharing.models import ShareLink, hash_token
from tests.sharing.conftest import SENTINEL

pytestmark = pytest.mark.django_db

TOKEN_URL = re.compile(r"http://testserver/share/([A-Za-z0-9_-]{43})/")


def create_link(client, page, **fields):
    data = {"recipient": "Jo Smith, Smith & Co", "version": "pinned", "hours": "48", **fields}
    return client.post(f"/admin/sharing/pages/{page.pk}/", data)


def test_writer_shares_their_draft_and_sees_the_link_once(as_role, draft, staff):
    writer = as_role("writer")

    response = create_link(writer, draft, max_views="3", allow_comments="on")

    assert response.status_code == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    token = TOKEN_URL.search(response.content.decode()).group(1)
    link = ShareLink.objects.get()
    assert link.token_hash == hash_token(token)
    assert (link.recipient, link.max_views, link.allow_comments, link.created_by) == (
        "Jo Smith, Smith & Co",
        3,
        True,
        staff["writer"],
    )
    assert link.revision == draft.get_latest_revision()
    listing = writer.get(f"/admin/sharing/pages/{draft.pk}/").content.decode()
    assert token not in listing
    assert "Jo Smith, Smith &amp; Co" in listing
    assert "<td data-share-link-state>active</td>" in listing


def test_form_offers_48_hours_and_refuses_more_than_the_maximum(as_role, draft, settings):
    settings.SHARE_LINK_MAX_HOURS = 72
    writer = as_role("writer")
    assert writer.get(f"/admin/sharing/pages/{draft.pk}/").context["form"]["hours"].initial == 48

    response = create_link(writer, draft, hours="73")

    assert response.status_code == 400
    assert "at most 72 hours" in response.content.decode()
    assert not ShareLink.objects.exists()


def test_latest_draft_link_pins_no_revision(as_role, draft):
    create_link(as_role("writer"), draft, version="latest")
    assert ShareLink.objects.get().revision is None


def test_only_who_may_publish_is_offered_the_embargo_clearance(as_role, draft):
    assert (
        "embargo_cleared"
        not in as_role("writer").get(f"/admin/sharing/pages/{draft.pk}/").context["form"].fields
    )
    create_link(as_role("writer"), draft, embargo_cleared="on")
    assert ShareLink.objects.get().embargo_cleared is False

    create_link(as_role("chief"), draft, recipient="Partner desk", embargo_cleared="on")
    assert ShareLink.objects.get(recipient="Partner desk").may_show_embargoed() is True


def test_revoke_button_stops_the_link_and_shows_its_state(as_role, draft, reader):
    writer = as_role("writer")
    token = TOKEN_URL.search(create_link(writer, draft).content.decode()).group(1)
    link = ShareLink.objects.get()

    response = writer.post(f"/admin/sharing/links/{link.pk}/revoke/", follow=True)

    assert response.status_code == 200
    assert "<td data-share-link-state>revoked</td>" in response.content.decode()
    assert reader.get(f"/share/{token}/").status_code == 404


def test_share_links_are_in_the_page_header_and_the_history(as_role, draft, reader):
    writer = as_role("writer")
    edit = writer.get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert f'href="/admin/sharing/pages/{draft.pk}/"' in edit

    token = TOKEN_URL.search(create_link(writer, draft).content.decode()).group(1)
    reader.get(f"/share/{token}/", REMOTE_ADDR="192.0.2.44")
    writer.post(f"/admin/sharing/links/{ShareLink.objects.get().pk}/revoke/")

    history = writer.get(f"/admin/pages/{draft.pk}/history/").content.decode()
    assert "Shared with Jo Smith, Smith &amp; Co (revision" in history
    assert "Share link opened by Jo Smith, Smith &amp; Co from 192.0.2.44 (view 1)" in history
    assert "Share link for Jo Smith, Smith &amp; Co revoked" in history
    assert token not in history


def test_site_history_names_each_share_action(as_role, draft):
    writer = as_role("writer")
    create_link(writer, draft)
    assert PageLogEntry.objects.filter(action="sharing.link.create", page=draft).count() == 1
    report = writer.get("/admin/reports/site-history/").content.decode()
    assert "Create share link" in report


def test_index_lists_links_on_editable_pages_only(as_role, draft, staff, newsroom):
    from tests.editorial.conftest import complete_article

    other = complete_article(newsroom["news"], staff["writer_b"], title="Writer B's own draft")
    ShareLink.objects.create_for(
        page=other, user=staff["writer_b"], recipient="B's lawyer", pin_revision=True, hours=4
    )
    create_link(as_role("writer"), draft)

    mine = as_role("writer").get("/admin/sharing/").content.decode()
    assert "Jo Smith, Smith &amp; Co" in mine
    assert "B&#x27;s lawyer" not in mine and "B's lawyer" not in mine
    assert SENTINEL in mine  # the page's own title, for its editor
    editors = as_role("editor").get("/admin/sharing/").content.decode()
    assert "Jo Smith, Smith &amp; Co" in editors and "B&#x27;s lawyer" in editors
