from django.core.exceptions import PermissionDenied

from wagtail.models import Page

from editorial.access import may_open_in_admin

# Admin URL namespaces whose views take a page id.
PAGE_NAMESPACES = ("wagtailadmin_pages", "wagtailadmin_api")
PAGE_ID_KWARGS = ("page_id", "pk", "parent_page_id")


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
        if not any(namespace in match.namespaces for namespace in PAGE_NAMESPACES):
            return None
        page_id = next((view_kwargs[key] for key in PAGE_ID_KWARGS if key in view_kwargs), None)
        if page_id is None or not str(page_id).isdigit():
            return None
        page = Page.objects.filter(pk=int(page_id)).first()
        if page is not None and not may_open_in_admin(request.user, page):
            raise PermissionDenied("You may not open this article.")
        return None
