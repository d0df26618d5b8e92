from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from wagtail.models import PageViewRestriction
        from wagtail.signals import page_published, page_unpublished

        from news import signals
        from news.models import ArticlePage

        page_published.connect(signals.refresh_related_on_publish, sender=ArticlePage)
        page_unpublished.connect(signals.withdraw_related_on_unpublish, sender=ArticlePage)
        post_save.connect(signals.withdraw_related_on_restriction, sender=PageViewRestriction)
        post_delete.connect(
            signals.refresh_related_on_restriction_lifted, sender=PageViewRestriction
        )
