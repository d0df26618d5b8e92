from django.apps import AppConfig
from django.core.checks import Tags, register


class NewsConfig(AppConfig):
    """What readers see: page types, blocks, snippets, feeds, sitemaps, structured data, and
    (for now) the page cache and the related-articles recommender that deliver them."""

    name = "news"
    verbose_name = "News"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from news import (
            signals,  # noqa: F401 - connects the receivers
            sites,
        )

        register(sites.check_site_origin, Tags.database, deploy=True)
        register(sites.check_public_base_url_is_set, Tags.security, deploy=True)
