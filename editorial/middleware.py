from django.core.exceptions import PermissionDenied

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


def page_ids_of(request, match) -> list[str]:
    """The pages an admin URL is about: page views, the explorer, the admin pages API, and the
    chooser's "chosen" endpoint (which takes its ids in the query string)."""
    if match.url_name == "wagtailadmin_choose_page_chosen_multiple":
        return request.GET.getlist("id")
    namespaces = list(match.namespaces)
    if not (
        namespaces == ["wagtailadmin_pages"]
        or namespaces == ["wagtailadmin_api", "pages"]
        or match.url_name in PAGE_ID_URL_NAMES
    ):
        return []
    return [str(match.kwargs[key]) for key in PAGE_ID_KWARGS if key in match.kwargs][:1]


class ArticleAdminAccessMiddleware:
    """Refuses every admin URL about an article the user may neither edit nor review."""

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
        return None
