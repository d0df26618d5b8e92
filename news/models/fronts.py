"""The part of a page that makes it a front: the slots editors arrange (see `news.fronts`)."""

import math

from django.db import models
from django.utils import timezone

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from news import fronts
from news.blocks import FrontBlock
from news.caching import cache_seconds


class FrontMixin(models.Model):
    """A page that is a front: slots editors arrange, filled by `news.fronts` so that none is
    ever empty or shows what readers may not see."""

    front = StreamField(
        FrontBlock(),
        blank=True,
        help_text="The slots of this front, top to bottom. Leave empty for the automatic front: "
        "the newest story as the lead, live coverage, most read and a block per section.",
    )

    front_panels = [FieldPanel("front", heading="Front")]

    class Meta:
        abstract = True

    def front_context(self, request) -> dict:
        front = fronts.build_front(self)
        self.note_change_at(request, front.changes_at)
        return {"front": front}

    @staticmethod
    def note_change_at(request, moment) -> None:
        """Remember the soonest moment this page changes by itself (no publish to purge it)."""
        if moment is None:
            return
        known = getattr(request, "_front_changes_at", None)
        request._front_changes_at = moment if known is None else min(known, moment)

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        changes_at = getattr(request, "_front_changes_at", None)
        if changes_at is not None:
            left = math.ceil((changes_at - timezone.now()).total_seconds())
            response.page_cache_seconds = max(1, min(left, cache_seconds()))
        return response
