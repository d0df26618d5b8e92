"""Share links as the model keeps them: hashed tokens, states, who may make and revoke them."""

import hashlib
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from wagtail.models import PageLogEntry

import pytest

from sharing.models import CREATE_ACTION, REVOKE_ACTION, ShareLink, hash_token

pytestmark = pytest.mark.django_db


def share(page, user, **options):
    options = {"recipient": "Jo Smith, Smith & Co", "pin_revision": True, "hours": 48, **options}
    return ShareLink.objects.create_for(page=page, user=user, **options)


def test_only_the_tokens_hash_is_stored(draft, staff):
    link, token = share(draft, staff["writer"])

    row = ShareLink.objects.filter(pk=link.pk).values().get()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(row)
    assert len(token) == 43
    assert ShareLink.objects.filter(token_hash=hash_token(token)).get() == link


def test_each_link_gets_its_own_token(draft, staff):
    tokens = {share(draft, staff["writer"])[1] for _ in range(5)}
    assert len(tokens) == 5


def test_pinned_link_keeps_the_version_it_was_made_from(draft, staff):
    pinned, _ = share(draft, staff["writer"], pin_revision=True)
    latest, _ = share(draft, staff["writer"], pin_revision=False)
    newer = draft.get_latest_revision_as_object()
    newer.title = "A newer headline"
    newer.save_revision(user=staff["writer"])

    pinned, latest = (ShareLink.objects.get(pk=link.pk) for link in (pinned, latest))
    assert pinned.version_to_show().title == draft.title
    assert latest.version_to_show().title == "A newer headline"
    assert pinned.version_label.startswith("Version of ")
    assert latest.version_label == "Latest draft"


def test_state_follows_expiry_revocation_and_views(draft, staff):
    now = timezone.now()
    link, _ = share(draft, staff["writer"], hours=2, max_views=2, now=now)
    assert link.state(now=now) == "active"
    assert link.state(now=now + timedelta(hours=2)) == "expired"
    link.view_count = 2
    assert link.state(now=now) == "used up"
    link.revoke(user=staff["writer"])
    assert link.state(now=now) == "revoked"


def test_expiry_is_capped_by_the_setting(draft, staff, settings):
    settings.SHARE_LINK_MAX_HOURS = 72
    with pytest.raises(ValidationError):
        share(draft, staff["writer"], hours=73)
    with pytest.raises(ValidationError):
        share(draft, staff["writer"], hours=0)
    assert not ShareLink.objects.exists()
    link, _ = share(draft, staff["writer"], hours=72)
    assert link.expires_at - link.created_at == timedelta(hours=72)


def test_writer_cannot_share_or_revoke_a_colleagues_draft(draft, staff):
    link, _ = share(draft, staff["writer"])

    with pytest.raises(PermissionDenied):
        share(draft, staff["writer_b"])
    with pytest.raises(PermissionDenied):
        link.revoke(user=staff["writer_b"])

    assert ShareLink.objects.count() == 1
    link.refresh_from_db()
    assert link.revoked_at is None


def test_only_who_may_publish_can_clear_a_recipient_for_the_embargo(draft, staff):
    with pytest.raises(PermissionDenied):
        share(draft, staff["writer"], embargo_cleared=True)
    link, _ = share(draft, staff["chief"], embargo_cleared=True)
    assert link.may_show_embargoed() is True
    assert share(draft, staff["writer"])[0].may_show_embargoed() is False


def test_create_and_revoke_are_in_the_pages_audit_log(draft, staff):
    link, _ = share(draft, staff["writer"], max_views=3)
    assert link.revoke(user=staff["editor"]) is True
    assert link.revoke(user=staff["editor"]) is False  # already revoked: logged once

    entries = PageLogEntry.objects.filter(page=draft, action__startswith="sharing.").order_by("pk")
    assert [(entry.action, entry.user) for entry in entries] == [
        (CREATE_ACTION, staff["writer"]),
        (REVOKE_ACTION, staff["editor"]),
    ]
    assert entries[0].data["recipient"] == "Jo Smith, Smith & Co"
    assert entries[0].data["max_views"] == 3
    assert entries[0].data["revision"] == draft.get_latest_revision().pk
    assert entries[0].message.startswith("Shared with Jo Smith, Smith & Co (revision ")
