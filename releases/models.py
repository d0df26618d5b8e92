"""A release bundle and the pages in it, each with the revision approved for the release."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable


class ReleaseBundleQuerySet(models.QuerySet):
    def due(self, *, now=None):
        return self.filter(
            status=ReleaseBundle.Status.SCHEDULED, release_at__lte=now or timezone.now()
        )


class ReleaseBundle(ClusterableModel):
    """Pages released together at `release_at`: all of them, or (one not approved) none."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        RELEASED = "released", "Released"
        FAILED = "failed", "Not released"

    name = models.CharField(max_length=200)
    release_at = models.DateTimeField(db_index=True, help_text="Newsroom time.")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SCHEDULED, editable=False
    )
    released_at = models.DateTimeField(null=True, blank=True, editable=False)
    failure = models.TextField(blank=True, editable=False)
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )

    objects = ReleaseBundleQuerySet.as_manager()

    panels = [FieldPanel("name"), FieldPanel("release_at"), InlinePanel("items", label="Pages")]

    class Meta:
        ordering = ["release_at", "pk"]
        verbose_name = "release bundle"

    def __str__(self) -> str:
        return self.name

    @property
    def status_text(self) -> str:
        if self.status == self.Status.FAILED:
            return f"{self.get_status_display()}: {self.failure}"
        return self.get_status_display()


class BundlePage(Orderable):
    """One page of a bundle, with the revision approved when it was added (its latest)."""

    bundle = ParentalKey(ReleaseBundle, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.CASCADE, related_name="+", editable=False
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False
    )

    panels = [FieldPanel("page")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["bundle", "page"], name="one_entry_per_page_in_bundle")
        ]

    def __str__(self) -> str:
        return f"{self.page} in {self.bundle}"
