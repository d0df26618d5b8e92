from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from wagtail.models import Page

from editorial import desk
from editorial.access import may_open_in_admin
from editorial.checklist import missing_items

CALENDAR_WEEKS = {"week": 1, "month": 5}


def checklist(request, page_id: int):
    """What the article still lacks before it may be approved for publication."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not hasattr(page, "dek"):
        raise Http404("Only articles have a publication checklist.")
    if not may_open_in_admin(request.user, page):
        raise PermissionDenied
    article = page.get_latest_revision_as_object()
    return render(
        request, "editorial/checklist.html", {"page": page, "missing": missing_items(article)}
    )


def scheduled(request):
    """The editorial calendar: approved go-lives and expiries, by week and day."""
    span = request.GET.get("span", "month")
    if span not in CALENDAR_WEEKS:
        span = "month"
    return render(
        request,
        "editorial/scheduled.html",
        {
            "weeks": desk.calendar(weeks=CALENDAR_WEEKS[span]),
            "span": span,
            "time_zone": settings.TIME_ZONE,
            "now": timezone.now(),
        },
    )
