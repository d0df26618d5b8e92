import posixpath
import secrets

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
    """A resized copy, stored under a random folder (`images/<16 random characters>/<name>`):
    Wagtail's default `images/<original name>.<filter>.<ext>` lets anyone who knows or guesses a
    photo's file name fetch the admin thumbnail of a picture only an embargoed draft uses."""

    image = models.ForeignKey(NewsImage, on_delete=models.CASCADE, related_name="renditions")

    def get_upload_to(self, filename):
        folder, name = posixpath.split(super().get_upload_to(filename))
        return posixpath.join(folder, secrets.token_urlsafe(12), name)

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
