from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel
from wagtail.search import index
from wagtail.snippets.models import register_snippet


@register_snippet
class Source(index.Indexed, models.Model):
    """An outlet a story was originally reported by."""

    name = models.CharField(max_length=200, unique=True)
    url = models.URLField(blank=True, help_text="The outlet's home page.")

    panels = [FieldPanel("name"), FieldPanel("url")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BreakingNewsQuerySet(models.QuerySet):
    def current(self, *, now=None):
        now = now or timezone.now()
        return self.filter(starts_at__lte=now, ends_at__gt=now).order_by("-starts_at")


@register_snippet
class BreakingNews(models.Model):
    """The banner across the front page, shown between two times that editors control."""

    headline = models.CharField(max_length=200)
    link = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(help_text="The banner disappears at this time.")

    objects = BreakingNewsQuerySet.as_manager()

    panels = [
        FieldPanel("headline"),
        FieldPanel("link"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
    ]

    class Meta:
        verbose_name_plural = "breaking news"
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.headline
