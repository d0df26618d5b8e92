from django.conf import settings
from django.urls import include, path
from django.views.decorators.csp import csp_override

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.utils.urlpatterns import decorate_urlpatterns

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
    path("healthz/", healthz, name="healthz"),
    path("livez/", livez, name="livez"),
    path("readership/", include("readership.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
