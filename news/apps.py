from django.apps import AppConfig


class NewsConfig(AppConfig):
    """What readers see: page types, blocks, snippets, feeds, sitemaps, structured data, and
    the related-articles recommender; the page cache lives in delivery/."""

    name = "news"
    verbose_name = "News"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from news import signals  # noqa: F401 - connects the receivers
