"""Where a picture is shown: the pages that use it, from Wagtail's reference index (lead
images, body blocks and rich text alike)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from wagtail.models import Page, ReferenceIndex


def pages_using(image) -> QuerySet[Page]:
    page_type = ContentType.objects.get_for_model(Page)  # pages are indexed under their base
    page_ids = (
        ReferenceIndex.get_references_to(image)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return Page.objects.filter(pk__in=[int(pk) for pk in page_ids])


def live_pages_showing(image) -> QuerySet[Page]:
    return pages_using(image).live()
