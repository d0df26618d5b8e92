"""Saying no to a reader in the form they asked in: the site's own page for a browser that
posted a form, JSON for a script.

A rate limit, a bot check, closed comments or a form that does not validate are refusals a
person can meet by pressing a button. A browser that submitted a plain form navigates to the
answer, so it gets a page in the site's style (with the same status code); a script (`fetch`
with `Accept: application/json`, an XMLHttpRequest, or any request the browser marks as not a
navigation) gets `{"error": message}`.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse

REFUSAL_TEMPLATE = "refusal.html"
# Sec-Fetch-Mode of a browser following a link or submitting a form; fetch() sends cors,
# same-origin or no-cors.
NAVIGATION_MODES = frozenset({"navigate", "nested-navigate"})


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str  # a sentence or two, for the page and the JSON alike
    title: str = "Sorry, we could not take that"
    retry_after: int | None = None  # seconds, for 429 and 503


def wants_json(request: HttpRequest) -> bool:
    """Whether a script, not a browser navigating, made this request."""
    mode = request.headers.get("Sec-Fetch-Mode")
    return (
        "application/json" in request.headers.get("Accept", "")
        or request.headers.get("X-Requested-With") == "XMLHttpRequest"
        or (mode is not None and mode not in NAVIGATION_MODES)
    )


def refuse(
    request: HttpRequest,
    refusal: Refusal,
    *,
    template: str = REFUSAL_TEMPLATE,
    context: dict | None = None,
    json_details: dict | None = None,
) -> HttpResponse:
    """The refusal as JSON for a script (`{"error": message, **json_details}`), else
    `template` (the site's refusal page, or a form shown again with the message) rendered with
    `refusal` and `context`."""
    if wants_json(request):
        body = {"error": refusal.message, **(json_details or {})}
        response = JsonResponse(body, status=refusal.status)
    else:
        response = TemplateResponse(
            request, template, {"refusal": refusal, **(context or {})}, status=refusal.status
        )
    if refusal.retry_after is not None:
        response["Retry-After"] = str(refusal.retry_after)
    return response
