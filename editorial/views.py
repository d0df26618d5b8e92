from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from wagtail.models import Page

from editorial import publication_gate
from editorial.access import may_open_in_admin
from editorial.checklist import missing_items
from news.models import ArticlePage


def checklist(request, page_id: int):
    """What the article still lacks before it may be approved for publication."""
    page = get_object_or_404(Page, pk=page_id).specific
    if not isinstance(page, ArticlePage):
        raise Http404("Only articles have a publication checklist.")
    if not may_open_in_admin(request.user, page):
        raise PermissionDenied
    article = page.get_latest_revision_as_object()
    # Sent here by a refused approval: say why, in the publication gate's words.
    refusal = publication_gate.refusal(article, request.user) if "refused" in request.GET else None
    return render(
        request,
        "editorial/checklist.html",
        {"page": page, "missing": missing_items(article), "refusal": refusal},
    )


def scheduled(request):
    """The old Scheduled report: it is part of the story budget now (planning)."""
    span = {"week": "week"}.get(request.GET.get("span", ""), "month")
    return redirect(f"{reverse('planning:budget')}?span={span}")
