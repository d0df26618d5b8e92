"""Who is asking, as far as counting needs to know: bot or not, staff or not, and a daily
pseudonym that never stores an address or a user agent."""

import secrets
from functools import lru_cache

from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from crawlerdetect import CrawlerDetect

from ops.client import client_ip

VISITOR_COOKIE = "mh_visitor"
VISITOR_COOKIE_MAX_AGE = 365 * 24 * 3600


@lru_cache(maxsize=4096)
def _is_crawler(user_agent: str) -> bool:
    return CrawlerDetect().isCrawler(user_agent)


def is_bot(request: HttpRequest) -> bool:
    """Crawlers by user agent (crawlerdetect); an empty user agent counts as a bot."""
    user_agent = request.headers.get("User-Agent", "").strip()[:512]
    return not user_agent or _is_crawler(user_agent)


def is_prefetch(request: HttpRequest) -> bool:
    """Speculative loads: the browser fetched, nobody read."""
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower() or "prerender" in purpose.lower()


def is_staff(request: HttpRequest) -> bool:
    """Logged-in staff; only looked up when the request carries a session cookie."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return user.is_staff or user.has_perm("wagtailadmin.access_admin")


def daily_visitor_hash(request: HttpRequest) -> str:
    """A pseudonym for address + user agent that changes every day.

    The day is part of the HMAC salt, so yesterday's hashes cannot be matched with today's,
    and without SECRET_KEY nobody can recompute them.
    """
    day = timezone.localdate().isoformat()
    material = f"{client_ip(request)}|{request.headers.get('User-Agent', '')[:512]}"
    return salted_hmac(f"readership.visitor.{day}", material, algorithm="sha256").hexdigest()[:32]


def address_hash(request: HttpRequest) -> str:
    """A daily pseudonym for the client address alone (rate limits per address)."""
    day = timezone.localdate().isoformat()
    return salted_hmac(
        f"readership.address.{day}", client_ip(request), algorithm="sha256"
    ).hexdigest()[:32]


def browser_id(request: HttpRequest) -> tuple[str, bool]:
    """The random id in this browser's visitor cookie, and whether it was just made."""
    current = request.COOKIES.get(VISITOR_COOKIE, "")
    if len(current) == 32 and current.isalnum():
        return current, False
    return secrets.token_hex(16), True


def browser_key(raw_id: str) -> str:
    """What the database keeps of a visitor cookie: a keyed hash, not the cookie itself."""
    return salted_hmac("readership.browser", raw_id, algorithm="sha256").hexdigest()[:64]
