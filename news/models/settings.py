from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class NewsroomSettings(BaseSiteSetting):
    """Who publishes this site: what search engines, feeds and Google News are told."""

    publisher_name = models.CharField(
        max_length=120, blank=True, help_text="Defaults to the site name."
    )
    logo = models.ForeignKey(
        "news.NewsImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A wide logo (at least 600 px); the built-in wordmark is used when empty.",
    )
    language = models.CharField(
        max_length=12, default="en", help_text="ISO 639 code, e.g. en, en-GB, fr."
    )
    x_handle = models.CharField("X handle", max_length=50, blank=True)

    panels = [
        FieldPanel("publisher_name"),
        FieldPanel("logo"),
        FieldPanel("language"),
        FieldPanel("x_handle"),
    ]

    class Meta:
        verbose_name = "newsroom"

    @property
    def name(self) -> str:
        return self.publisher_name or settings.WAGTAIL_SITE_NAME

    @staticmethod
    def cache_key(site_id: int) -> str:
        return f"newsroom-settings:{site_id}"

    @classmethod
    def for_site(cls, site):
        """From the shared cache: every page shows these, and they change a few times a year."""
        if site is None:
            return super().for_site(site)
        instance = cache.get(cls.cache_key(site.pk))
        if instance is None:
            instance = super().for_site(site)
            cache.set(cls.cache_key(site.pk), instance, timeout=settings.PAGE_CACHE_SECONDS)
        return instance

    def forget_cached(self) -> None:
        # Again after commit, so a request in between cannot cache the old values for good.
        key = self.cache_key(self.site_id)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.forget_cached()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.forget_cached()
        return result
