"""Readership settings, each overridable in Django settings or the environment (see docs/readership.md)."""

import os

from django.conf import settings


def _setting(name: str, default: str) -> str:
    return str(getattr(settings, name, os.environ.get(name, default)))


def _bool(name: str, default: bool) -> bool:
    return _setting(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    return int(_setting(name, str(default)))


def count_staff_views() -> bool:
    """Whether views by logged-in staff count (off: editors checking a story inflate nothing)."""
    return _bool("READERSHIP_COUNT_STAFF_VIEWS", False)


def repeat_view_window() -> int:
    """Seconds during which one visitor's repeat views of one article count once."""
    return _int("READERSHIP_REPEAT_VIEW_WINDOW", 1800)


def views_per_address_per_day() -> int:
    """Most views of one article counted from one client address in a day: enough for an
    office, a school or a café behind one address, far too few to move "Most read"."""
    return _int("READERSHIP_VIEWS_PER_ADDRESS_PER_DAY", 50)


def comments_close_after_days() -> int:
    """Comments close this many days after first publication (0: never)."""
    return _int("READERSHIP_COMMENTS_CLOSE_AFTER_DAYS", 30)


def trusted_commenters_skip_queue() -> bool:
    """Logged-in users holding `readership.skip_comment_moderation` publish without review."""
    return _bool("READERSHIP_TRUSTED_COMMENTERS_SKIP_QUEUE", True)


def comment_min_seconds() -> int:
    """A comment posted sooner than this after the form was rendered is treated as a bot."""
    return _int("READERSHIP_COMMENT_MIN_SECONDS", 3)


def comment_form_max_age() -> int:
    """A comment form older than this (seconds) must be reloaded."""
    return _int("READERSHIP_COMMENT_FORM_MAX_AGE", 2 * 24 * 3600)
