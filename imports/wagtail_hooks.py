from wagtail import hooks

from imports.legacy_links import redirect_for_post_id


@hooks.register("before_serve_page")
def redirect_wordpress_post_links(page, request, serve_args, serve_kwargs):
    return redirect_for_post_id(request)
