"""A live page and its entries.

An entry is its own row, not a revision of the page: posting one never touches the page, so
several people post at once without overwriting each other, and the page's revisions stay the
editorial record of its headline, summary and coverage times. Each change to an entry takes the
page's next `sequence` number (see `live.coverage`), which is what readers' update polls ask for.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Max, Q
from django.http import Http404, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.text import Truncator

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager

from live.blocks import LiveEntryBodyBlock
from news.caching import PageCachePolicyMixin
from news.models.embargo import EmbargoMixin, EmbargoQuerySetMixin
from news.models.pages import NewsPageQuerySet, paginate
from news.view_restrictions import CachedViewRestrictionsMixin

ENTRIES_PER_PAGE = 20
# How many changed entries one update poll returns at most; a reader further behind reloads.
UPDATES_LIMIT = 50
ORDERS = ("newest", "oldest")
SINCE_RE = re.compile(r"[0-9]{1,12}")


class LivePageQuerySet(EmbargoQuerySetMixin, NewsPageQuerySet):
    def published(self, *, now=None):
        """What readers may see: live, public, not under embargo and not past its expiry time
        (as for articles)."""
        now = now or timezone.now()
        return (
            self.live()
            .public()
            .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
            .not_under_embargo(at=now)
        )

    def on_air(self, *, now=None):
        """Published coverage that is running now, the most recently started first."""
        now = now or timezone.now()
        return (
            self.published(now=now)
            .filter(status=LivePage.Status.LIVE, coverage_start__lte=now)
            .order_by("-coverage_start", "-pk")
        )


LivePageManager = PageManager.from_queryset(LivePageQuerySet)


class LivePage(
    EmbargoMixin, PageCachePolicyMixin, CachedViewRestrictionsMixin, RoutablePageMixin, Page
):
    """Live coverage of a running story: a headline and summary over entries posted one by one.

    When coverage ends the page stays where it is and reads as an archived story."""

    class Status(models.TextChoices):
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    template = "pages/live_page.html"
    # `since` is read by the update endpoint only; the page itself reads `page` and `order`.
    page_cache_params = frozenset({"page", "order", "since"})

    summary = models.TextField(
        max_length=600, blank=True, help_text="What is happening, in two or three sentences."
    )
    coverage_start = models.DateTimeField(default=timezone.now)
    coverage_end = models.DateTimeField(
        null=True, blank=True, help_text="Set when coverage ends; readers see it as an archive."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.LIVE)
    lead_image = models.ForeignKey(
        "news.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LivePageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("coverage_start"), FieldPanel("coverage_end")]),
                FieldPanel("status"),
            ],
            heading="Coverage",
        ),
        InlinePanel("bylines", label="Bylines", min_num=0),
    ]
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(EmbargoMixin.embargo_panels, heading="Embargo"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "live coverage"
        verbose_name_plural = "live coverage pages"

    og_type = "article"
    tag_list: list = []

    @property
    def headline(self) -> str:
        return self.title

    @property
    def shown_date(self):
        return self.coverage_start

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary

    @property
    def share_image(self):
        return self.lead_image

    @cached_property
    def section(self) -> Page | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    @cached_property
    def byline_profiles(self) -> list:
        from news.models import StaffProfilePage

        return list(
            StaffProfilePage.objects.filter(live_bylines__page=self)
            .select_related("photo")
            .order_by("live_bylines__sort_order", "live_bylines__pk")
        )

    @property
    def is_ended(self) -> bool:
        return self.status == self.Status.ENDED

    def is_on_air(self, *, now=None) -> bool:
        return not self.is_ended and self.coverage_start <= (now or timezone.now())

    def is_expired_now(self, *, now=None) -> bool:
        return bool(self.expire_at and self.expire_at <= (now or timezone.now()))

    # --- What readers see ---------------------------------------------------------------------

    @property
    def entries(self) -> "LiveEntryQuerySet":
        return LiveEntry.objects.filter(page=self).for_readers().for_display()

    def key_events(self) -> list["LiveEntry"]:
        return list(self.entries.key_events().newest_first())

    def pinned_entry(self) -> "LiveEntry | None":
        return self.entries.pinned().newest_first().first()

    def cursor(self) -> int:
        """The sequence number of the latest change readers can see (0 before any)."""
        return (
            LiveEntry.objects.filter(page=self)
            .for_readers()
            .aggregate(last=Max("sequence"))["last"]
            or 0
        )

    def updates_since(self, since: int) -> list["LiveEntry"]:
        """Entries posted or changed after `since`, in the order they changed."""
        return list(self.entries.filter(sequence__gt=since).order_by("sequence")[:UPDATES_LIMIT])

    def get_sitemap_urls(self, request=None):
        if self.is_expired_now():
            return []
        return super().get_sitemap_urls(request)

    def get_cached_paths(self):
        # The page, its update endpoint and feeds: what an entry change shows on. Entry
        # permalinks are added by the purge of that entry (`live.coverage`).
        return ["/", "updates/", "feed/", "feed/atom/"]

    def serve(self, request, *args, **kwargs):
        if self.is_expired_now():
            raise Http404("This coverage is no longer available.")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from live import structured_data

        context = super().get_context(request, *args, **kwargs)
        context["structured_data"] = structured_data.live_blog_posting(self, request=request)
        context["news_index"] = self.section
        return context

    @path("")
    def index_route(self, request):
        order = request.GET.get("order", "newest")
        if order not in ORDERS:
            raise Http404("No such order.")
        entries = self.entries.oldest_first() if order == "oldest" else self.entries.newest_first()
        page = paginate(request, entries, ENTRIES_PER_PAGE)
        return self.render(
            request,
            context_overrides={
                "entries": page,
                "order": order,
                "key_events": self.key_events(),
                "pinned": self.pinned_entry() if page.number == 1 else None,
                "cursor": self.cursor(),
                "poll_seconds": settings.LIVE_POLL_SECONDS,
            },
        )

    @path("updates/")
    def updates_route(self, request):
        """What changed since the reader's `since`: a small JSON answer the page cache keeps for
        a few seconds, shared by every reader who is up to date."""
        raw = request.GET.get("since", "0")
        if not SINCE_RE.fullmatch(raw):
            raise Http404("`since` takes a sequence number.")
        since = int(raw)
        changed = self.updates_since(since)
        cursor = self.cursor()
        response = JsonResponse(
            {
                "cursor": cursor,
                "status": self.status,
                "complete": len(changed) < UPDATES_LIMIT,
                "entries": [
                    {
                        "id": entry.pk,
                        "sequence": entry.sequence,
                        "state": entry.state,
                        "key_event": entry.key_event,
                        "html": render_to_string(
                            "components/live/entry.html",
                            {"entry": entry, "page": self},
                            request=request,
                        ),
                    }
                    for entry in changed
                ],
                "key_events_html": render_to_string(
                    "components/live/key_events.html",
                    {"key_events": self.key_events(), "page": self},
                    request=request,
                )
                if changed
                else None,
            }
        )
        response.page_cache_seconds = settings.LIVE_UPDATES_SECONDS
        return response

    @path("entries/<int:entry_id>/")
    def entry_route(self, request, entry_id: int):
        entry = self.entries.filter(pk=entry_id).first()
        if entry is None:
            raise Http404("No such entry.")
        return self.render(
            request,
            context_overrides={
                "entry": entry,
                "canonical_path": self.reverse_subpage("entry_route", args=[entry.pk]),
            },
            template="pages/live_entry_page.html",
        )

    @path("feed/")
    def rss_feed(self, request):
        from live import feeds

        return feeds.coverage_feed(request, page=self, atom=False)

    @path("feed/atom/")
    def atom_feed(self, request):
        from live import feeds

        return feeds.coverage_feed(request, page=self, atom=True)


class LiveByline(Orderable):
    page = ParentalKey(LivePage, on_delete=models.CASCADE, related_name="bylines")
    profile = models.ForeignKey(
        "news.StaffProfilePage", on_delete=models.CASCADE, related_name="live_bylines"
    )

    panels = [FieldPanel("profile")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "profile"], name="unique_byline_per_live_page")
        ]


class LiveEntryQuerySet(models.QuerySet):
    def for_readers(self):
        """Entries readers may see: posted ones, corrected ones and the tombstones of deleted
        ones (shown as removed). Drafts never."""
        return self.exclude(state=LiveEntry.State.DRAFT)

    def for_display(self):
        return self.prefetch_related("authors")

    def key_events(self):
        return self.filter(key_event=True).exclude(state=LiveEntry.State.DELETED)

    def pinned(self):
        return self.filter(pinned=True).exclude(state=LiveEntry.State.DELETED)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def oldest_first(self):
        return self.order_by("published_at", "pk")


class LiveEntry(models.Model):
    """One update of a live page: when, by whom, what; a key event, pinned or neither."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CORRECTED = "corrected", "Corrected"
        DELETED = "deleted", "Deleted"

    page = models.ForeignKey(LivePage, on_delete=models.CASCADE, related_name="live_entries")
    sequence = models.PositiveBigIntegerField(editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_entries",
    )
    authors = models.ManyToManyField(
        "news.StaffProfilePage", blank=True, related_name="live_entries"
    )
    body = StreamField(LiveEntryBodyBlock())
    key_event = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)
    correction_note = models.TextField(max_length=1000, blank=True)
    corrected_at = models.DateTimeField(null=True, blank=True)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        constraints = [
            models.UniqueConstraint(fields=["page", "sequence"], name="unique_live_entry_sequence")
        ]
        indexes = [models.Index(fields=["page", "state", "published_at"])]

    def __str__(self) -> str:
        return self.headline or f"Entry {self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.state == self.State.DELETED

    @property
    def is_corrected(self) -> bool:
        return self.state == self.State.CORRECTED

    @property
    def is_visible(self) -> bool:
        return self.state != self.State.DRAFT

    @property
    def anchor(self) -> str:
        return f"entry-{self.pk}"

    def text(self) -> str:
        return " ".join(
            strip_tags(str(part))
            for part in self.body.stream_block.get_searchable_content(self.body)
        ).strip()

    @property
    def headline(self) -> str:
        """The entry's first words, where a title is needed (feeds, structured data)."""
        return Truncator(self.text()).chars(110)

    def permalink_path(self) -> str:
        return self.page.url + self.page.reverse_subpage("entry_route", args=[self.pk])
