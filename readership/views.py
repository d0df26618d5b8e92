"""Reader endpoints: the view beacon, reactions and comments. Thin: check, call, answer."""

import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from news.models import ArticlePage
from news.refusals import Refusal, refuse, wants_json
from ops.counters import REDIS_FAILURES
from ops.ratelimit import Limit, RateLimitUnavailable, hit
from readership import conf, counting, visitors
from readership.comments import (
    CommentForm,
    claim_stamp,
    comments_open,
    form_stamp,
    post_comment,
)
from readership.models import Reaction, reaction_counts
from readership.origin import is_same_origin

logger = logging.getLogger(__name__)

BEACON_MAX_BYTES = 1024
FORM_MAX_BYTES = 16 * 1024

REACTIONS_PER_ADDRESS = Limit("reaction-address", 30, 60)
COMMENTS_PER_ADDRESS = Limit("comment-address", 5, 600)
COMMENTS_PER_ARTICLE = Limit("comment-article", 30, 60)

COMMENTS_UNAVAILABLE = Refusal(
    503,
    "Comments are unavailable right now; please try again later.",
    title="Comments are unavailable right now",
    retry_after=60,
)
# A form that did not validate: the form page shows the reasons beside the fields.
NEEDS_A_CHANGE = Refusal(400, "Your comment needs a change.")


def _error(message: str, status: int) -> JsonResponse:
    """For the view beacon, which only scripts send."""
    return JsonResponse({"error": message}, status=status)


def _refused(
    request: HttpRequest, message: str, status: int, *, article=None, retry_after=None
) -> HttpResponse:
    """A reader form refused: the site's page for a browser, JSON for a script."""
    back = {"back_url": article.url, "back_title": article.title} if article else {}
    return refuse(request, Refusal(status, message, retry_after=retry_after), context=back)


def _comment_refused(
    request: HttpRequest, form: "CommentForm", refusal: Refusal, *, article
) -> HttpResponse:
    """A comment refused for now (a rate limit, Redis away): the form again with the reader's
    text and the reason, so nothing they typed is lost."""
    return refuse(
        request,
        refusal,
        template="readership/comment_rejected.html",
        context={"article": article, "form": form, "stamp": form_stamp()},
        json_details={"fields": form.errors.get_json_data()} if form.errors else None,
    )


def _too_large(request: HttpRequest, limit: int) -> bool:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0) > limit
    except ValueError:
        return True


def _is_preview(request: HttpRequest) -> bool:
    referer = request.headers.get("Referer", "")
    return "/admin/" in referer or "preview" in request.GET


# What `never_cache` sets, written once: the beacon is the hottest reader endpoint, and
# patching the header twice per request costs more than the rest of its response.
BEACON_CACHE_CONTROL = "max-age=0, no-cache, no-store, must-revalidate, private"


@csrf_exempt
@require_POST
def view_beacon(request: HttpRequest) -> HttpResponse:
    """Count one article view; answer with the fresh total. No database write."""
    response = _count_view(request)
    response["Cache-Control"] = BEACON_CACHE_CONTROL
    return response


def _count_view(request: HttpRequest) -> HttpResponse:
    if _too_large(request, BEACON_MAX_BYTES):
        return _error("Beacon payload too large.", 413)
    article_id = counting.article_id_from_token(request.POST.get("token", ""))
    if article_id is None:
        return _error("Unknown or malformed article token.", 400)
    if not is_same_origin(request):
        return _error("Cross-site beacons are not accepted.", 403)
    if (
        visitors.is_bot(request)
        or visitors.is_prefetch(request)
        or _is_preview(request)
        or (not conf.count_staff_views() and visitors.is_staff(request))
    ):
        return JsonResponse({"counted": False})
    try:
        recorded = counting.record_view(
            article_id=article_id,
            visitor=visitors.daily_visitor_hash(request),
            address=visitors.address_hash(request),
        )
    except REDIS_FAILURES as exc:
        logger.warning("views_dropped article=%s reason=%s", article_id, type(exc).__name__)
        return _error("View counting is unavailable.", 503)
    return JsonResponse({"counted": recorded.counted, "views": recorded.total})


def _reader_checks(request: HttpRequest, limit: int) -> HttpResponse | None:
    """What every reader form post must pass before its own checks."""
    if _too_large(request, limit):
        return _refused(request, "Request too large.", 413)
    if not is_same_origin(request):
        return _refused(request, "Cross-site submissions are not accepted.", 403)
    if visitors.is_bot(request):
        return _refused(request, "Automated submissions are not accepted.", 403)
    return None


@csrf_exempt
@never_cache
@require_POST
def react(request: HttpRequest, article_id: int) -> HttpResponse:
    """Record (or change) this browser's reaction to an article."""
    if refused := _reader_checks(request, BEACON_MAX_BYTES):
        return refused
    article = get_object_or_404(ArticlePage.objects.published(), pk=article_id)
    kind = request.POST.get("kind", "")
    if kind not in Reaction.Kind.values:
        return _refused(request, "Choose one of the offered reactions.", 400, article=article)
    # Fail open: a Redis outage should not silence feedback; one vote per browser still holds.
    if hit([(REACTIONS_PER_ADDRESS, visitors.address_hash(request))], fail_open=True):
        return _refused(
            request,
            "Too many reactions from your address; try again in a minute.",
            429,
            article=article,
            retry_after=REACTIONS_PER_ADDRESS.window_seconds,
        )
    raw_id, new_cookie = visitors.browser_id(request)
    Reaction.objects.update_or_create(
        article=article, visitor=visitors.browser_key(raw_id), defaults={"kind": kind}
    )
    if wants_json(request):
        response = JsonResponse({"chosen": kind, "counts": reaction_counts(article.pk)})
    else:
        response = redirect(f"{article.url}?reacted={kind}#feedback")
    if new_cookie:
        response.set_cookie(
            visitors.VISITOR_COOKIE,
            raw_id,
            max_age=visitors.VISITOR_COOKIE_MAX_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


@csrf_exempt
@never_cache
@require_POST
def comment(request: HttpRequest, article_id: int) -> HttpResponse:
    """Take a comment: plain form post, redirect back with a status the page shows."""
    if refused := _reader_checks(request, FORM_MAX_BYTES):
        return refused
    article = get_object_or_404(ArticlePage.objects.published(), pk=article_id)
    if not comments_open(article):
        return _refused(request, "Comments are closed on this story.", 403, article=article)
    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        return _comment_refused(request, form, NEEDS_A_CHANGE, article=article)
    # Fail closed: without Redis the spam limits cannot be enforced, so nothing is taken.
    try:
        exceeded = hit(
            [
                (COMMENTS_PER_ADDRESS, visitors.address_hash(request)),
                (COMMENTS_PER_ARTICLE, str(article.pk)),
            ],
            fail_open=False,
        )
    except RateLimitUnavailable:
        return _comment_refused(request, form, COMMENTS_UNAVAILABLE, article=article)
    if exceeded:
        refusal = Refusal(
            429,
            "Too many comments; please wait a few minutes.",
            title="Please wait a few minutes",
            retry_after=exceeded.window_seconds,
        )
        return _comment_refused(request, form, refusal, article=article)
    try:
        fresh = claim_stamp(form.cleaned_data["stamp"])
    except REDIS_FAILURES:
        return _comment_refused(request, form, COMMENTS_UNAVAILABLE, article=article)
    if not fresh:
        form.add_error(
            "stamp", "This form has already been sent: reload the page to comment again."
        )
        return _comment_refused(request, form, NEEDS_A_CHANGE, article=article)
    posted = post_comment(article=article, form=form, user=request.user)
    outcome = "published" if posted.published else "pending"
    return redirect(f"{article.url}?comment={outcome}#comments-status")
