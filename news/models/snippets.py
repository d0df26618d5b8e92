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
        """Switched on, started and not yet expired; the latest to start first."""
        now = now or timezone.now()
        return (
            self.filter(is_on=True, starts_at__lte=now)
            .filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now))
            .order_by("-starts_at", "-pk")
        )

    def shown_and_next_change(self, *, now=None):
        """The banner shown now (or None) and the soonest moment that changes by itself (the
        shown banner expires, or a later one starts), from one query: a switch or an edit
        purges the front page, but a clock running out does not."""
        now = now or timezone.now()
        upcoming = list(
            self.filter(is_on=True)
            .filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now))
            .select_related("link")
            .order_by("-starts_at", "-pk")
        )
        shown = next((banner for banner in upcoming if banner.starts_at <= now), None)
        moments = [banner.starts_at for banner in upcoming if banner.starts_at > now]
        if shown is not None and shown.ends_at is not None:
            moments.append(shown.ends_at)
        return shown, min(moments, default=None)


@register_snippet
class BreakingNews(models.Model):
    """The banner across the front page: switched on by an editor, from a start time until an
    optional expiry."""

    headline = models.CharField(max_length=200)
    link = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_on = models.BooleanField(
        "show the banner", default=True, help_text="Switch off to take the banner down now."
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Optional: the banner disappears at this time."
    )

    objects = BreakingNewsQuerySet.as_manager()

    panels = [
        FieldPanel("headline"),
        FieldPanel("link"),
        FieldPanel("is_on"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at"),
    ]

    class Meta:
        verbose_name_plural = "breaking news"
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.headline
