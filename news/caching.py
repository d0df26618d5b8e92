"""The full-page cache for anonymous readers: which requests it may answer, what it stores.

Pages opt in: a response is stored only when its view marked it `Cache-Control: public` (page
types do so through `PageCachePolicyMixin`, other views by calling `apply_policy`). A request is
answered from the cache only when it carries no session cookie and no Authorization header, is a
GET or HEAD, and its query string holds nothing but the parameters that select content (`page`,
`tag`, `q`, `p`, and a live page's `order` and `since`) and tracking parameters, which are
ignored. A view may keep its response for less than the default lifetime by setting
`response.page_cache_seconds` (a live page's update endpoint does). Responses that set a cookie are never
stored and are downgraded to `private, no-store` on the way out.

Keys are `page:<path>|<normalised query>`: every variant of one path shares the prefix, so a purge
removes all of a listing's pages at once (see `news.purging`). The site serves one host: when
PUBLIC_BASE_URL names it, only requests for that host (as `Host: name[:port]`, the scheme's
default port implied) are answered from or stored in the cache, so a request with another name
or port that ALLOWED_HOSTS lets through is rendered for itself and never kept for the next reader.
A second Wagtail site with its own hostname would have to add the host to the key.

The strict CSP nonce must match between the header and the HTML. The stored copy carries a
placeholder where the nonce was, and each hit gets a fresh nonce in both places, so cached readers
get per-response nonces just as uncached ones do. Other values that must be made for each reader
(the comment form's signed render time) are declared by whoever renders them with
`render_per_response`: the stored copy keeps a placeholder, and each hit calls the named function
again.
"""

import logging
import re
import secrets
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlencode, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Query parameters that select different content; each page type declares which of them it uses.
CONTENT_PARAMS = frozenset({"page", "tag", "q", "p", "order", "since"})
# Parameters that never change what a page shows.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "ref"})
TRACKING_PREFIXES = ("utm_", "_ga", "_hs")
# Paths that are never pages: no cache lookup at all, so they stay as fast as before.
# Share links (sharing/) are drafts for one named reader: never looked up, never stored.
SKIP_PREFIXES = (
    "/admin/",
    "/static/",
    "/media/",
    "/documents/",
    "/healthz/",
    "/livez/",
    "/share/",
)
MAX_PATH_LENGTH = 1000

KEY_PREFIX = "page:"
PURGED_PREFIX = "purged:"
# How long a purge is remembered: longer than any request that began before it can still be
# rendering (requests time out long before this).
PURGE_MEMORY_SECONDS = 120
NONCE_PLACEHOLDER = "masthead-csp-nonce-slot"  # never a real nonce: contains no random part
CSP_HEADERS = ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
UNSTORED_HEADERS = frozenset({"set-cookie", "date", "x-cache"})
_S_MAXAGE = re.compile(r"s-maxage=(\d+)")


def cache_seconds() -> int:
    return settings.PAGE_CACHE_SECONDS


def has_private_credentials(request: HttpRequest) -> bool:
    """Whether the request may belong to someone logged in, judged without loading a session."""
    return (
        settings.SESSION_COOKIE_NAME in request.COOKIES
        or "HTTP_AUTHORIZATION" in request.META
        or any(name in request.COOKIES for name in settings.PAGE_CACHE_BYPASS_COOKIES)
    )


def normalised_query(request: HttpRequest) -> str | None:
    """The content parameters as a canonical string, or None when the query rules caching out."""
    if not request.META.get("QUERY_STRING"):
        return ""
    kept: list[tuple[str, str]] = []
    for name, values in request.GET.lists():
        if name in TRACKING_PARAMS or name.startswith(TRACKING_PREFIXES):
            continue
        if name not in CONTENT_PARAMS or len(values) != 1:
            return None
        kept.append((name, values[0]))
    return urlencode(sorted(kept))


@lru_cache(maxsize=4)
def _canonical_hosts(public_base_url: str) -> frozenset[str]:
    """The Host values that name PUBLIC_BASE_URL's origin (empty: no origin configured)."""
    parts = urlsplit(public_base_url)
    if not parts.hostname:
        return frozenset()
    default_port = 443 if parts.scheme == "https" else 80
    port = parts.port or default_port
    names = {f"{parts.hostname}:{port}"}
    if port == default_port:
        names.add(parts.hostname)
    return frozenset(names)


def is_canonical_host(request: HttpRequest) -> bool:
    """Whether the request names the site's public origin (always, when none is configured)."""
    hosts = _canonical_hosts(settings.PUBLIC_BASE_URL)
    return not hosts or request._get_raw_host().lower() in hosts  # noqa: SLF001 - unvalidated


def request_cache_key(request: HttpRequest) -> str | None:
    """The cache key for this request, or None when it must not be served from the cache."""
    if request.method not in ("GET", "HEAD"):
        return None
    if not is_canonical_host(request):
        return None
    path = request.path
    if path.startswith(SKIP_PREFIXES) or len(path) > MAX_PATH_LENGTH:
        return None
    if has_private_credentials(request):
        return None
    query = normalised_query(request)
    if query is None:
        return None
    return path_key(path, query)


def path_key(path: str, query: str = "") -> str:
    """The key of one path (as `request.path` gives it) and normalised query."""
    return f"{KEY_PREFIX}{path}|{query}"


def path_key_pattern(path: str) -> str:
    """A Redis glob matching every query variant of one path."""
    escaped = re.sub(r"([*?\[\]\\])", r"\\\1", path)
    return f"{KEY_PREFIX}{escaped}|*"


def request_path(url_path: str) -> str:
    """A URL's path as a request for it arrives at the views (`request.path`, percent-escapes
    decoded). Purges start from Wagtail's page URLs, which percent-encode a unicode slug
    (`/staff/chlo%C3%A9-martin/`); the cache is keyed by what readers requested. Only purges
    decode: decoding a request's path a second time would let `/%2561/` name `/a/`'s entry."""
    return unquote(url_path)


# --- The policy a view declares ---------------------------------------------------------------


def mark_public(response: HttpResponse, *, params: frozenset[str] = frozenset()) -> HttpResponse:
    """Shared caches (ours, a CDN) may keep this response; `params` are the query parameters
    the view reads, so that a variant it ignores (an article with `?page=9`) is not stored.
    A `page_cache_seconds` attribute on the response shortens its shared lifetime."""
    patch_cache_control(
        response,
        public=True,
        max_age=0,
        s_maxage=getattr(response, "page_cache_seconds", None) or cache_seconds(),
        stale_while_revalidate=settings.PAGE_CACHE_STALE_SECONDS,
    )
    response.page_cache_params = params
    return response


def mark_private(response: HttpResponse) -> HttpResponse:
    """Only this reader's browser may see this response, and it must not keep it."""
    response.headers["Cache-Control"] = "private, no-store"
    response.page_cache_params = None
    return response


def frameable_by_the_admin(response: HttpResponse) -> HttpResponse:
    """The public policy, nonce and all, except that the admin's own origin may frame it: the
    editor's preview panel and Checks panel show a preview in an iframe. Only previews (served to
    signed-in staff by the admin's preview views) get it; every other page keeps 'none'."""
    response._csp_config = {**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]}
    return response


def apply_policy(
    request: HttpRequest, response: HttpResponse, *, params: frozenset[str] = frozenset()
) -> HttpResponse:
    """Public for anonymous readers without a session; private for everyone else."""
    if (
        getattr(request, "is_preview", False)
        or has_private_credentials(request)
        or request.user.is_authenticated
        or response.cookies
    ):
        return mark_private(response)
    return mark_public(response, params=params)


class PageCachePolicyMixin:
    """Cache headers on our own page types: public for anonymous readers, private for staff and
    previews. `page_cache_params` lists the query parameters the page's routes read."""

    page_cache_params: frozenset[str] = frozenset()

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        return apply_policy(request, response, params=self.page_cache_params)

    def serve_preview(self, request, *args, **kwargs):
        return frameable_by_the_admin(mark_private(super().serve_preview(request, *args, **kwargs)))


# --- Storing and replaying responses ---------------------------------------------------------


def render_per_response(request: HttpRequest, *, value: str, make: str) -> str:
    """`value`, rendered into this response, must be new in every response: a cached copy gets
    a fresh one from `make` (the dotted path of a function taking no argument) on every hit."""
    request.__dict__.setdefault("_page_cache_per_response", {})[value] = make
    return value


def _per_response_placeholder(index: int) -> str:
    return f"masthead-per-response-slot-{index}"


@dataclass(frozen=True)
class CachedPage:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    has_nonce: bool
    # (placeholder, dotted path of the function that makes a fresh value) per value
    per_response: tuple[tuple[str, str], ...] = ()

    def to_response(self) -> HttpResponse:
        body, headers = self.body, self.headers
        for placeholder, make in getattr(self, "per_response", ()):
            body = body.replace(placeholder.encode(), import_string(make)().encode())
        if self.has_nonce:
            nonce = secrets.token_urlsafe(16)
            body = body.replace(NONCE_PLACEHOLDER.encode(), nonce.encode())
            headers = tuple(
                (name, value.replace(NONCE_PLACEHOLDER, nonce)) for name, value in headers
            )
        response = HttpResponse(body, status=self.status)
        for name, value in headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(body))
        response.headers["X-Cache"] = "HIT"
        return response


def is_public(response: HttpResponse) -> bool:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    return "public" in directives and not directives & {"private", "no-store", "no-cache"}


def is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    """A 200 its view marked public, setting no cookie, for a query the view actually reads."""
    params = getattr(response, "page_cache_params", None)
    if params is None or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    if not is_public(response):
        return False
    return not any(name not in params for name in request.GET if name in CONTENT_PARAMS)


def snapshot(request: HttpRequest, response: HttpResponse) -> CachedPage:
    """The response as it will be replayed, its nonce replaced by a placeholder."""
    body = response.content
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in UNSTORED_HEADERS and name.lower() != "content-length"
    ]
    lazy_nonce = getattr(request, "_csp_nonce", None)
    has_nonce = bool(lazy_nonce)  # LazyNonce is truthy only once generated
    if has_nonce:
        nonce = str(lazy_nonce)
        body = body.replace(nonce.encode(), NONCE_PLACEHOLDER.encode())
        headers = [
            (name, value.replace(nonce, NONCE_PLACEHOLDER) if name in CSP_HEADERS else value)
            for name, value in headers
        ]
    per_response = []
    for index, (value, make) in enumerate(getattr(request, "_page_cache_per_response", {}).items()):
        placeholder = _per_response_placeholder(index)
        body = body.replace(value.encode(), placeholder.encode())
        per_response.append((placeholder, make))
    return CachedPage(response.status_code, tuple(headers), body, has_nonce, tuple(per_response))


def lifetime(response: HttpResponse) -> int:
    match = _S_MAXAGE.search(response.get("Cache-Control", ""))
    return int(match.group(1)) if match else cache_seconds()


def fetch(key: str) -> HttpResponse | None:
    """The cached response for this key; a cache outage reads as a miss."""
    cached = cache.get(key)
    return cached.to_response() if isinstance(cached, CachedPage) else None


def store(key: str, request: HttpRequest, response: HttpResponse, *, started: float) -> None:
    """Keep the response, unless its path was purged after the request `started`: it may have
    read the state from before the change, and storing it now would undo the purge until it
    expires (a reader polling a live page would miss the new entry)."""
    if was_purged_since(request.path, started):
        return
    cache.set(key, snapshot(request, response), timeout=lifetime(response))


def remember_purges(paths: Iterable[str]) -> None:
    """Note when these paths (as requests name them) were purged, for `store` to check. Call it
    before deleting their entries, so no response can slip in between the two."""
    now = time.time()
    cache.set_many({f"{PURGED_PREFIX}{path}": now for path in paths}, timeout=PURGE_MEMORY_SECONDS)


def was_purged_since(path: str, started: float) -> bool:
    purged_at = cache.get(f"{PURGED_PREFIX}{path}")
    return purged_at is not None and purged_at >= started


def generation(key: str) -> str:
    """The token stored at `key`, under which a family of cache entries is kept.

    Replacing it (`start_generation`) orphans every entry kept under the old one at once, with
    no key scan. A missing (new or evicted) token is replaced by a fresh one, so nothing stored
    under an earlier token can be read again; "uncached" when the cache is unreachable.
    """
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, timeout=None)
        value = cache.get(key)
    return value or "uncached"


def start_generation(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, timeout=None)
