"""What staff do to live coverage: post, edit, correct and delete entries, mark key events and
pins, end coverage.

Every change goes through one of these functions, which check the permission, take the page's
next sequence number under a per-page lock (two people posting at once queue for milliseconds,
and readers' `?since=` polls never skip an entry that committed late), write the audit log on
the page's history and purge exactly what shows the change once it commits.

Who may do what follows the article's roles: a writer posts to coverage they own or carry a
byline on, and edits the entries they wrote; an editor (anyone with "change" on the section)
posts and edits anywhere and alone marks key events, pins entries and ends coverage.
"""

import logging
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from wagtail.log_actions import log

from live.models import LiveEntry, LivePage
from news import purging

logger = logging.getLogger(__name__)

# The first key of the two-key advisory lock that serialises one page's entry changes.
LOCK_NAMESPACE = 2121


class EntryChanged(Exception):
    """Someone else changed the entry since the form was opened."""


# --- Who may do what ------------------------------------------------------------------------


def is_coverage_editor(user, page: LivePage) -> bool:
    """Editors and chiefs ("change" on the section) and superusers."""
    if not user.is_active:
        return False
    if user.is_superuser:
        return True
    return "change" in page.permissions_for_user(user).permissions


def is_assigned(user, page: LivePage) -> bool:
    """The page's owner, or a member of staff with a byline on it."""
    return page.owner_id == user.pk or page.bylines.filter(profile__user=user).exists()


def can_post(user, page: LivePage) -> bool:
    if is_coverage_editor(user, page):
        return True
    return (
        user.is_active
        and "add" in page.permissions_for_user(user).permissions
        and is_assigned(user, page)
    )


def can_edit_entry(user, entry: LiveEntry) -> bool:
    page = entry.page
    if is_coverage_editor(user, page):
        return True
    wrote_it = entry.created_by_id == user.pk or entry.authors.filter(user=user).exists()
    return wrote_it and can_post(user, page)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- Sequence numbers and purges -------------------------------------------------------------


def _lock_page(page_id: int) -> None:
    """Hold the page's entry lock until the transaction ends."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, page_id])


def _next_sequence(page_id: int) -> int:
    last = LiveEntry.objects.filter(page_id=page_id).aggregate(last=Max("sequence"))["last"]
    return (last or 0) + 1


def _reader_cursor(page_id: int) -> int:
    """The cursor readers hold now (what `LivePage.cursor` returns), read under the lock."""
    return (
        LiveEntry.objects.filter(page_id=page_id)
        .for_readers()
        .aggregate(last=Max("sequence"))["last"]
        or 0
    )


def coverage_paths(page: LivePage, entries: list[LiveEntry]) -> set[str]:
    """The page (every order and page number), its update endpoint, its feeds and the
    permalinks of the changed entries."""
    paths = purging.page_paths(page)
    base = page.get_url_parts()
    if base is None:
        return paths
    root = base[2]
    return paths | {
        root + page.reverse_subpage("entry_route", args=[entry.pk]).lstrip("/") for entry in entries
    }


def purge_coverage(
    page: LivePage, entries: list[LiveEntry], *, previous_cursor: int, fronts: bool = False
) -> None:
    """After commit: forget the page, the endpoint, the feeds and the entries' permalinks (the
    plain copies at once, every variant in the background), and at once the one poll nearly
    every reader is making, `updates/?since=<the cursor before this change>`. With `fronts`
    (a key event changed), the fronts that list the coverage's key events too."""
    site = page.get_site()
    paths = coverage_paths(page, entries)
    if fronts:
        paths |= purging.front_paths(page)
    parts = page.get_url_parts()
    if parts is not None:
        updates = parts[2] + "updates/"
        # Ours and a CDN's copy of the hot poll, by its URL (`forget_plain_pages` keys it).
        paths.add(f"{updates}?{urlencode({'since': previous_cursor})}")
    purging.purge_paths_after_commit(paths, root_url=site.root_url if site else "")


def _changed(
    page: LivePage,
    entries: list[LiveEntry],
    *,
    previous_cursor: int,
    key_events_changed: bool = False,
) -> None:
    if any(entry.is_visible for entry in entries):
        fronts = key_events_changed or any(entry.key_event for entry in entries)
        purge_coverage(page, entries, previous_cursor=previous_cursor, fronts=fronts)


def _save(entry: LiveEntry) -> None:
    entry.sequence = _next_sequence(entry.page_id)
    entry.save()


def _unpin_others(entry: LiveEntry) -> list[LiveEntry]:
    others = list(LiveEntry.objects.filter(page_id=entry.page_id, pinned=True).exclude(pk=entry.pk))
    for other in others:
        other.pinned = False
        _save(other)
    return others


# --- Entries ---------------------------------------------------------------------------------


@transaction.atomic
def post_entry(
    page: LivePage,
    *,
    user,
    body,
    publish: bool = True,
    key_event: bool = False,
    pinned: bool = False,
    now=None,
) -> LiveEntry:
    """A new entry by `user` (their staff profile as its author), posted now or kept as a draft."""
    _require(can_post(user, page), "You may not post to this coverage.")
    if key_event or pinned:
        _require(is_coverage_editor(user, page), "Only editors mark key events and pins.")
    _lock_page(page.pk)
    previous = _reader_cursor(page.pk)
    entry = LiveEntry(
        page=page,
        body=body,
        created_by=user,
        key_event=key_event,
        pinned=pinned,
        state=LiveEntry.State.PUBLISHED if publish else LiveEntry.State.DRAFT,
        published_at=(now or timezone.now()) if publish else None,
    )
    _save(entry)
    profile = getattr(user, "staff_profile", None)
    if profile is not None:
        entry.authors.add(profile)
    changed = [entry, *(_unpin_others(entry) if pinned else [])]
    log(
        page,
        "live.entry.post" if publish else "live.entry.draft",
        user=user,
        data={"entry_id": entry.pk, "sequence": entry.sequence},
    )
    _changed(page, changed, previous_cursor=previous)
    return entry


def _fresh(entry: LiveEntry, expected_sequence: int | None) -> LiveEntry:
    """The entry as committed, once this page's lock is held; refuses a stale edit."""
    _lock_page(entry.page_id)
    current = LiveEntry.objects.select_related("page").get(pk=entry.pk)
    if expected_sequence is not None and current.sequence != expected_sequence:
        raise EntryChanged("This entry was changed meanwhile; reload it and try again.")
    return current


@transaction.atomic
def publish_entry(entry: LiveEntry, *, user, now=None) -> LiveEntry:
    _require(can_edit_entry(user, entry), "You may not publish this entry.")
    entry = _fresh(entry, None)
    if entry.state != LiveEntry.State.DRAFT:
        return entry
    previous = _reader_cursor(entry.page_id)
    entry.state = LiveEntry.State.PUBLISHED
    entry.published_at = now or timezone.now()
    _save(entry)
    log(entry.page, "live.entry.post", user=user, data={"entry_id": entry.pk})
    _changed(entry.page, [entry], previous_cursor=previous)
    return entry


@transaction.atomic
def edit_entry(
    entry: LiveEntry,
    *,
    user,
    body,
    correction_note: str = "",
    expected_sequence: int | None = None,
    now=None,
) -> LiveEntry:
    """Change an entry's body. A draft changes quietly; a posted entry only as a correction,
    which readers see with its note and time."""
    _require(can_edit_entry(user, entry), "You may not edit this entry.")
    entry = _fresh(entry, expected_sequence)
    if entry.is_deleted:
        raise ValidationError("A deleted entry cannot be edited.")
    if entry.state != LiveEntry.State.DRAFT:
        if not correction_note.strip():
            raise ValidationError({"correction_note": "Say what was corrected: readers see it."})
        entry.state = LiveEntry.State.CORRECTED
        entry.correction_note = correction_note.strip()
        entry.corrected_at = now or timezone.now()
    previous = _reader_cursor(entry.page_id)
    entry.body = body
    _save(entry)
    action = "live.entry.edit" if entry.state == LiveEntry.State.DRAFT else "live.entry.correct"
    log(
        entry.page,
        action,
        user=user,
        data={"entry_id": entry.pk, "note": entry.correction_note},
    )
    _changed(entry.page, [entry], previous_cursor=previous)
    return entry


@transaction.atomic
def delete_entry(entry: LiveEntry, *, user, note: str = "") -> LiveEntry:
    """Withdraw an entry: readers see that an update was removed (and why), never its text. A
    draft that nobody saw is simply deleted."""
    _require(can_edit_entry(user, entry), "You may not delete this entry.")
    entry = _fresh(entry, None)
    page = entry.page
    if entry.state == LiveEntry.State.DRAFT:
        log(page, "live.entry.delete", user=user, data={"entry_id": entry.pk, "draft": True})
        entry.delete()
        return entry
    previous = _reader_cursor(entry.page_id)
    entry.state = LiveEntry.State.DELETED
    entry.correction_note = note.strip()
    entry.corrected_at = timezone.now()
    entry.key_event = entry.pinned = False
    _save(entry)
    log(page, "live.entry.delete", user=user, data={"entry_id": entry.pk, "note": note})
    _changed(page, [entry], previous_cursor=previous)
    return entry


@transaction.atomic
def mark_entry(
    entry: LiveEntry, *, user, key_event: bool | None = None, pinned: bool | None = None
) -> LiveEntry:
    """Editors only: mark or unmark a key event; pin an entry (unpinning any other) or unpin it."""
    _require(is_coverage_editor(user, entry.page), "Only editors mark key events and pins.")
    entry = _fresh(entry, None)
    if entry.is_deleted:
        raise ValidationError("A deleted entry cannot be marked.")
    previous = _reader_cursor(entry.page_id)
    changed = [entry]
    if key_event is not None:
        entry.key_event = key_event
    if pinned is not None:
        entry.pinned = pinned
        if pinned:
            changed += _unpin_others(entry)
    _save(entry)
    log(
        entry.page,
        "live.entry.mark",
        user=user,
        data={"entry_id": entry.pk, "key_event": entry.key_event, "pinned": entry.pinned},
    )
    _changed(
        entry.page, changed, previous_cursor=previous, key_events_changed=key_event is not None
    )
    return entry


# --- The coverage itself -----------------------------------------------------------------------


@transaction.atomic
def end_coverage(page: LivePage, *, user, now=None) -> LivePage:
    """Editors only: coverage ends now and the page reads as an archived story.

    The live row changes without publishing whatever draft of the page is in progress; that
    draft (and the live revision) end too, so publishing it later cannot reopen coverage."""
    _require(is_coverage_editor(user, page), "Only editors end coverage.")
    now = now or timezone.now()
    LivePage.objects.filter(pk=page.pk).update(status=LivePage.Status.ENDED, coverage_end=now)
    for revision_id in {page.live_revision_id, page.latest_revision_id} - {None}:
        revision = page.revisions.get(pk=revision_id)
        revision.content = {
            **revision.content,
            "status": LivePage.Status.ENDED,
            "coverage_end": now.isoformat(),
        }
        revision.save(update_fields=["content"])
    page.status, page.coverage_end = LivePage.Status.ENDED, now
    log(page, "live.coverage.end", user=user)
    purging.purge_pages_showing(page)
    return page
