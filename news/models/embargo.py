"""The embargo: a time before which nothing about a page may reach the public.

Unlike a go-live time, which only schedules a publication, an embargo is enforced: the
publication gate (editorial/publication_gate.py) refuses every publication before it, by any
person or the scheduler, and every public query and view leaves an embargoed page out even if
it were live. This module is the one rule; others ask it:

- one page: `page.is_under_embargo(at=None)`;
- a set of pages: `Model.objects.not_under_embargo(at=None)` / `.under_embargo(at=None)`;
- a share link (sharing/) shows an embargoed page only to a recipient marked embargo-cleared.
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format

from wagtail.admin.panels import FieldPanel


def embargo_text(moment: datetime) -> str:
    """An embargo time as the newsroom reads it: "Tue 8 Dec 2026, 09:00 GMT"."""
    return date_format(timezone.localtime(moment), "D j M Y, H:i T")


class EmbargoQuerySetMixin:
    """For the page querysets of models with `EmbargoMixin`."""

    def embargoed_q(self, *, at: datetime | None = None) -> Q:
        return Q(embargo_until__gt=at or timezone.now())

    def under_embargo(self, *, at: datetime | None = None):
        return self.filter(self.embargoed_q(at=at))

    def not_under_embargo(self, *, at: datetime | None = None):
        return self.exclude(self.embargoed_q(at=at))


class EmbargoMixin(models.Model):
    """A page that can be held under embargo: live pages and articles."""

    embargo_until = models.DateTimeField(
        "embargo until",
        null=True,
        blank=True,
        db_index=True,
        help_text="Nothing of this page reaches readers before this time, whoever publishes "
        "and whatever its go-live time. Once set, only an allowed override brings it forward.",
    )

    embargo_panels = [FieldPanel("embargo_until"), FieldPanel("embargo_override_reason")]

    class Meta:
        abstract = True

    def is_under_embargo(self, *, at: datetime | None = None) -> bool:
        return bool(self.embargo_until and self.embargo_until > (at or timezone.now()))

    @property
    def embargo_label(self) -> str:
        return f"embargoed until {embargo_text(self.embargo_until)}"

    @property
    def status_string(self) -> str:
        # Page listings, the desk panels and the page header show this status.
        if self.is_under_embargo():
            return f"{super().status_string}, {self.embargo_label}"
        return super().status_string

    def publish(
        self,
        revision,
        user=None,
        changed=True,
        log_action=True,
        previous_revision=None,
        skip_permission_checks=False,
    ):
        """Wagtail's publish, through the desk's publication gate (editorial.publication_gate):
        never before the embargo; a person's story only when it meets the checklist and is not
        their own."""
        from editorial.publication_gate import GatedPublishPageRevisionAction

        return GatedPublishPageRevisionAction(
            revision,
            user=user,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
        ).execute(skip_permission_checks=skip_permission_checks)

    def get_sitemap_urls(self, request=None):
        if self.is_under_embargo():
            return []
        return super().get_sitemap_urls(request)

    def serve(self, request, *args, **kwargs):
        # The gate keeps an embargoed page from going live; should one be live anyway (a
        # database edit, an import), readers still get nothing.
        if self.is_under_embargo():
            raise Http404("No such page.")
        return super().serve(request, *args, **kwargs)
