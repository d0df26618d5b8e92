from django.conf import settings
from django.urls import include, path
from django.views.decorators.csp import csp_override

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

from accounts import views as accounts_views
from news import views as news_views
from news.sitemaps import news_sitemap, robots_txt
from ops.views import healthz, livez
from search import views as search_views

# The Wagtail admin relies on inline scripts and styles (wagtail/wagtail#1288): it gets a
# relaxed policy of its own; the public site keeps the strict nonce policy from settings.
ADMIN_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "frame-src": ["'self'", "https:"],
    "frame-ancestors": ["'self'"],
    "form-action": ["'self'"],
    "base-uri": ["'self'"],
    "object-src": ["'none'"],
}

urlpatterns = [
    # Before Wagtail's own: a GET asks for confirmation, only a POST signs out.
    path(
        "admin/logout/",
        csp_override(ADMIN_CSP)(accounts_views.logout),
        name="wagtailadmin_logout",
    ),
    path(
        "admin/",
        include(decorate_urlpatterns(wagtailadmin_urls.urlpatterns, csp_override(ADMIN_CSP))),
    ),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", search_views.search, name="search"),
    path("search/autocomplete/", search_views.search_autocomplete, name="search_autocomplete"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("news-sitemap.xml", news_sitemap, name="news_sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", news_views.favicon, name="favicon"),
    path("manifest.webmanifest", news_views.web_manifest, name="web_manifest"),
    path("healthz/", healthz, name="healthz"),
    path("livez/", livez, name="livez"),
    path("readership/", include("readership.urls")),
    path("share/", include("sharing.urls")),
    # Wagtail's own address for the form, answered by a throttled view first.
    path(
        "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/",
        news_views.authenticate_with_password,
        name="wagtailcore_authenticate_with_password",
    ),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# Not found: the page suggests the stories the address's words find.
handler404 = "search.views.page_not_found"
