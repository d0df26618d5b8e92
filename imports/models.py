from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportedImage(models.Model):
    """Which Wagtail image an export's media address became, so that a second import of the
    same export (or of another one naming the same file) reuses it instead of downloading it
    again."""

    source_url = models.URLField(max_length=1000, unique=True)
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.source_url
