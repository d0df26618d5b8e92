from django.db import models

from wagtail.images.models import AbstractImage, AbstractRendition, Image


class NewsImage(AbstractImage):
    """Wagtail's image with the two things a newsroom prints under every photo.

    The alt text is Wagtail's own `description` field.
    """

    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Photographer or agency.")

    admin_form_fields = (*Image.admin_form_fields, "caption", "credit")

    @property
    def alt_text(self) -> str:
        return self.description or ""


class NewsRendition(AbstractRendition):
    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
