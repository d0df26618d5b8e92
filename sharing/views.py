"""The share link as its recipient reads it: `/share/<token>/` and its comment box.

Every answer is private and unindexed, whatever it says; a refused token gets the same plain 404
whether it was never made, revoked, expired or used up, and nothing of the page. Link previews
(chat apps' unfurlers, crawlers) and speculative loads get that 404 too: they would otherwise
read the draft, or spend a view limited link's only view.
"""

import logging

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from news.caching import mark_private
from ops.client import client_ip
from ops.db_routers import reading_from_replica
from ops.ratelimit import Limit, RateLimitUnavailable, hit
from readership import visitors
from sharing.models import ShareLink

logger = logging.getLogger(__name__)

# A recipient opens their link a few times; a guesser needs ~2^256 tries. Counted for every
# request, known token or not, so a guesser learns nothing from being counted. Fails open: the
# token's length is the protection, the limit only spares the database.
OPENS_PER_ADDRESS = Limit("share-open-address", 60, 600)
COMMENTS_PER_ADDRESS = Limit("share-comment-address", 5, 600)
COMMENTS_PER_LINK = Limit("share-comment-link", 30, 24 * 3600)


def private_unindexed(response: HttpResponse) -> HttpResponse:
    mark_private(response)
    response.headers["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def gone(request: HttpRequest) -> HttpResponse:
    return private_unindexed(TemplateResponse(request, "sharing/gone.html", status=404))


def too_many(request: HttpRequest, limit: Limit) -> HttpResponse:
    response = HttpResponse("Too many requests. Try again later.", status=429)
    response.headers["Retry-After"] = str(limit.window_seconds)
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    return private_unindexed(response)


@require_GET
def shared_page(request: HttpRequest, token: str) -> HttpResponse:
    """The page's shared version, rendered with its normal templates as a preview."""
    address = client_ip(request)
    exceeded = hit([(OPENS_PER_ADDRESS, address)], fail_open=True)
    if exceeded:
        return too_many(request, exceeded)
    if visitors.is_bot(request) or visitors.is_prefetch(request):
        return gone(request)
    # From the primary: a revocation must hold at once, not after a replica catches up.
    with reading_from_replica(False):
        link = ShareLink.objects.open_for_view(
            token,
            user=request.user,
            address=address,
            user_agent=request.headers.get("User-Agent", ""),
        )
        if link is None:
            logger.info("share_link_refused address=%s", address)
            return gone(request)
        page = link.version_to_show()
        if not link.may_show_embargoed() and _under_embargo(link.page.specific, page):
            logger.info("share_link_embargoed link=%s address=%s", link.pk, address)
            return gone(request)
        request.is_preview = True
        request.preview_mode = page.default_preview_mode
        request.share_link, request.share_token = link, token
        response = page.serve_preview(request, page.default_preview_mode)
        if hasattr(response, "render"):
            response.render()
    return private_unindexed(response)


def _under_embargo(*versions) -> bool:
    """The page's embargo on record or the shared version's (news.models.embargo): either
    in force keeps the story from anyone not cleared for it."""
    return any(getattr(v, "is_under_embargo", None) and v.is_under_embargo() for v in versions)


@require_POST
def leave_comment(request: HttpRequest, token: str) -> HttpResponse:
    """A comment from the link's recipient, handed to the editors as an admin comment."""
    address = client_ip(request)
    with reading_from_replica(False):
        link = ShareLink.objects.open_for_comment(token)
        if link is None:
            return gone(request)
        try:
            # Fails closed: without the limit a script could flood the editors' comments.
            exceeded = hit(
                [(COMMENTS_PER_ADDRESS, f"{link.pk}:{address}"), (COMMENTS_PER_LINK, str(link.pk))],
                fail_open=False,
            )
        except RateLimitUnavailable:
            response = HttpResponse("Try again in a moment.", status=503)
            response.headers["Content-Type"] = "text/plain; charset=utf-8"
            return private_unindexed(response)
        if exceeded:
            return too_many(request, exceeded)
        try:
            link.leave_comment(request.POST.get("comment", ""))
        except ValidationError as error:
            response = TemplateResponse(
                request, "sharing/comment_sent.html", {"error": error.messages[0]}, status=400
            )
            return private_unindexed(response)
    return private_unindexed(TemplateResponse(request, "sharing/comment_sent.html", {}))
