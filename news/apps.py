from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.signals import page_published, page_unpublished

        from news.models import ArticlePage
        from news.signals import refresh_related_on_publish, withdraw_related_on_unpublish

        page_published.connect(refresh_related_on_publish, sender=ArticlePage)
        page_unpublished.connect(withdraw_related_on_unpublish, sender=ArticlePage)
