from django.core.exceptions import PermissionDenied

from wagtail.models import Page

from editorial.access import may_open_in_admin

PAGE_ID_KWARGS = ("page_id", "pk", "parent_page_id", "page_to_move_id")


def page_id_of(match) -> str | None:
    """The page an admin URL is about: page views, the explorer and the admin pages API."""
    namespaces = list(match.namespaces)
    if not (
        namespaces == ["wagtailadmin_pages"]
        or namespaces == ["wagtailadmin_api", "pages"]
        or match.url_name in ("wagtailadmin_explore", "wagtailadmin_explore_results")
    ):
        return None
    return next((str(match.kwargs[key]) for key in PAGE_ID_KWARGS if key in match.kwargs), None)


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
        page_id = page_id_of(match)
        if page_id is None or not page_id.isdigit():
            return None
        page = Page.objects.filter(pk=int(page_id)).first()
        if page is not None and not may_open_in_admin(request.user, page):
            raise PermissionDenied("You may not open this article.")
        return None
