from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import redirect

from wagtail.models import Page

from editorial.access import may_open_in_admin

PAGE_ID_KWARGS = ("page_id", "pk", "parent_page_id", "page_to_move_id")
# Admin views outside the pages namespace whose URL names a page: the explorer, and the page
# chooser browsing a page's children (its header shows the page's own title).
PAGE_ID_URL_NAMES = (
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
)


def bulk_action_page_ids(request) -> list[str]:
    """The pages a bulk action names: `id=` values, or with `id=all` the children of `childOf`
    (and that page itself, whose title the confirmation page shows too)."""
    ids = request.GET.getlist("id")
    if "all" not in ids:
        return ids
    parent = request.GET.get("childOf", "")
    if not parent.isdigit():
        return []
    parent_page = Page.objects.filter(pk=int(parent)).first()
    if parent_page is None:
        return []
    children = parent_page.get_children().values_list("pk", flat=True)
    return [parent, *(str(pk) for pk in children)]


def page_ids_of(request, match) -> list[str]:
    """The pages an admin URL is about: page views, the explorer, the admin pages API, the
    chooser's "chosen" endpoint and page bulk actions (which take their ids in the query
    string)."""
    if match.url_name == "wagtailadmin_choose_page_chosen_multiple":
        return request.GET.getlist("id")
    if match.url_name == "wagtail_bulk_action" and (
        match.kwargs.get("app_label"),
        match.kwargs.get("model_name"),
    ) == ("wagtailcore", "page"):
        return bulk_action_page_ids(request)
    namespaces = list(match.namespaces)
    if not (
        namespaces == ["wagtailadmin_pages"]
        or namespaces == ["wagtailadmin_api", "pages"]
        or match.url_name in PAGE_ID_URL_NAMES
    ):
        return []
    return [str(match.kwargs[key]) for key in PAGE_ID_KWARGS if key in match.kwargs][:1]


class ArticleAdminAccessMiddleware:
    """Refuses every admin URL about an article the user may neither edit nor review, so no
    answer (a bulk action's "you don't have permission" list included) names it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not request.user.is_authenticated:
            return None
        page_ids = [int(page_id) for page_id in page_ids_of(request, match) if page_id.isdigit()]
        for page in Page.objects.filter(pk__in=page_ids):
            if not may_open_in_admin(request.user, page):
                raise PermissionDenied("You may not open this article.")
        if match.view_name == "wagtailadmin_pages:workflow_action" and page_ids:
            return refuse_reviewing_ones_own_submission(request, page_ids[0])
        return None


def refuse_reviewing_ones_own_submission(request, page_id: int):
    """Approving or rejecting a story one submitted oneself (a workflow action URL, as the
    dashboard sends it) is refused in the publication gate's words, as a message on the
    dashboard rather than a bare 403 (None: not one's own)."""
    from editorial.publication_gate import own_submission_refusal

    page = Page.objects.filter(pk=page_id).first()
    refusal = own_submission_refusal(page, request.user) if page else None
    if refusal is None:
        return None
    messages.error(request, str(refusal))
    if request.headers.get("x-requested-with") == "XMLHttpRequest":
        return JsonResponse({"step": "success", "redirect": "/admin/"})
    return redirect("wagtailadmin_home")
