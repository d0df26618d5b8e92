"""The Google News sitemap: stories published in the last two days, at most 1,000.

Wagtail's own `sitemap.xml` lists every page; Google News wants this separate, short list.
"""

from datetime import timedelta

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

from news.sites import absolute_url

NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


def news_sitemap_articles(*, site: Site, now=None) -> list:
    from news.models import ArticlePage

    now = now or timezone.now()
    return list(
        ArticlePage.objects.published(now=now)
        .descendant_of(site.root_page, inclusive=True)
        .filter(first_published_at__gte=now - NEWS_WINDOW, canonical_url="")
        .newest_first()
        .prefetch_related("tags")[:NEWS_LIMIT]
    )


def news_sitemap(request):
    from news.models import NewsroomSettings

    site = Site.find_for_request(request)
    articles = news_sitemap_articles(site=site) if site else []
    newsroom = NewsroomSettings.for_request(request)
    response = TemplateResponse(
        request,
        "news_sitemap.xml",
        {
            "entries": [(article, article.get_full_url(request)) for article in articles],
            "publication_name": newsroom.name,
            "language": newsroom.language,
        },
        content_type="application/xml; charset=utf-8",
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


def robots_txt(request):
    """Crawlers may read everything public; the admin is off limits. Points at both sitemaps."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        f"Sitemap: {absolute_url(request, reverse('sitemap'))}",
        f"Sitemap: {absolute_url(request, reverse('news_sitemap'))}",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
