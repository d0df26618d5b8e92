"""WordPress's own links, `/?p=123`, to the stories imported from it.

Wagtail's redirect middleware only looks for a redirect when a request would be a 404, and
`/?p=123` is the front page with a query string, a 200. So before a page is served, a request
carrying WordPress's `p` parameter is looked up among Wagtail's redirects under its path and
that one parameter (the importer stores them as `/?p=123`); any other parameter, such as
tracking tags, does not stand in the way. Requests without `p` cost nothing.
"""

from django.http import HttpRequest, HttpResponsePermanentRedirect, HttpResponseRedirect

from wagtail.contrib.redirects.middleware import get_redirect
from wagtail.contrib.redirects.models import Redirect


def redirect_for_post_id(request: HttpRequest):
    post_id = request.GET.get("p", "")
    if not post_id.isdigit() or len(post_id) > 20:
        return None
    path = Redirect.normalise_path(f"{request.path}?p={post_id}", decode_unicode=False)
    redirect = get_redirect(request, path)
    if redirect is None or redirect.link is None:
        return None
    response_class = (
        HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
    )
    return response_class(redirect.link)
