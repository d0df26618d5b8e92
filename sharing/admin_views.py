"""The share links of one page in the admin: list with their state, create, revoke; and every
link on the pages the user may edit. Each view asks the model, which checks edit rights."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from wagtail.models import Page

from news.caching import mark_private
from sharing.forms import ShareLinkForm
from sharing.models import ShareLink


def editable_page(request: HttpRequest, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied("Only someone who may edit this page can share it.")
    return page


def page_links(request: HttpRequest, page_id: int) -> HttpResponse:
    """The page's links, and a form for a new one; a new link's address is shown once, in the
    answer to the POST that made it (never in a message or the session)."""
    page = editable_page(request, page_id)
    may_clear_embargo = page.permissions_for_user(request.user).can_publish()
    form = ShareLinkForm(
        request.POST if request.method == "POST" else None, may_clear_embargo=may_clear_embargo
    )
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            link, token = ShareLink.objects.create_for(
                page=page,
                user=request.user,
                recipient=data["recipient"],
                pin_revision=data["version"] == "pinned",
                hours=data["hours"],
                max_views=data["max_views"],
                allow_comments=data["allow_comments"],
                embargo_cleared=data.get("embargo_cleared", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            created = {
                "link": link,
                "url": request.build_absolute_uri(f"/share/{token}/"),
            }
            form = ShareLinkForm(may_clear_embargo=may_clear_embargo)
    response = TemplateResponse(
        request,
        "sharing/admin/page_links.html",
        {
            "page": page,
            "form": form,
            "created": created,
            "links": ShareLink.objects.for_page(page).newest_first().select_related("revision"),
        },
        status=400 if request.method == "POST" and created is None else 200,
    )
    return mark_private(response)


@require_POST
def revoke(request: HttpRequest, link_id: int) -> HttpResponse:
    link = get_object_or_404(
        ShareLink.objects.on_pages_editable_by(request.user).select_related("page"), pk=link_id
    )
    if link.revoke(user=request.user):
        messages.success(request, f"The link for {link.recipient} no longer works.")
    return redirect("sharing_admin:page_links", link.page_id)


def index(request: HttpRequest) -> HttpResponse:
    """Every link on the pages the user may edit, newest first."""
    links = (
        ShareLink.objects.on_pages_editable_by(request.user)
        .newest_first()
        .select_related("page", "revision", "created_by")[:200]
    )
    return TemplateResponse(request, "sharing/admin/index.html", {"links": links})
