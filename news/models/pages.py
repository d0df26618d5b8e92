"""The newsroom's page types: front page, news sections, articles and staff profiles."""

import math

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from news.blocks import ArticleBodyBlock
from news.models.snippets import BreakingNews

WORDS_PER_MINUTE = 230
ARTICLES_PER_PAGE = 12


def paginate(request, queryset, per_page: int = ARTICLES_PER_PAGE) -> PaginatorPage:
    """The requested page of a listing; junk or out-of-range page numbers are a 404."""
    raw = request.GET.get("page", "1")
    if not raw.isdigit() or len(raw) > 6:
        raise Http404("No such page.")
    paginator = Paginator(queryset, per_page)
    number = int(raw)
    if number < 1 or number > max(paginator.num_pages, 1):
        raise Http404("No such page.")
    return paginator.page(number)


class ArticlePageQuerySet(PageQuerySet):
    def published(self, *, now=None):
        """What readers may see: live, public and not past its expiry time.

        `live()` alone is not enough: an expired article stays live until the scheduler takes
        it down, and a private (password or login) page is live too.
        """
        now = now or timezone.now()
        return self.live().public().filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))

    def newest_first(self):
        return self.order_by("-first_published_at", "-pk")

    def tagged(self, tag: Tag):
        return self.filter(tags=tag)

    def by_author(self, profile: "StaffProfilePage"):
        return self.filter(bylines__profile=profile)

    def for_listing(self):
        """Everything a listing card shows, in a fixed number of queries."""
        return self.select_related("lead_image").prefetch_related(
            Prefetch(
                "bylines",
                queryset=ArticleByline.objects.select_related("profile").order_by("sort_order"),
            ),
        )


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class HomePage(Page):
    """The front page: lead story, latest stories, most read, topic sections, breaking news."""

    template = "pages/home_page.html"

    lead_story = models.ForeignKey(
        "news.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Leave empty to lead with the newest story.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead_story"),
        InlinePanel("topic_sections", label="Topic sections"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndexPage", "news.StaffIndexPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        latest = list(ArticlePage.objects.published().newest_first().for_listing()[:13])
        lead = self.lead_story if self.lead_story and self.lead_story in latest else None
        lead = lead or (latest[0] if latest else None)
        context["lead_story"] = lead
        context["latest_stories"] = [article for article in latest if article != lead][:12]
        context["topic_sections"] = [
            (
                section,
                list(
                    ArticlePage.objects.published()
                    .tagged(section.tag)
                    .newest_first()
                    .for_listing()[:4]
                ),
            )
            for section in self.topic_sections.select_related("tag")
        ]
        context["breaking_news"] = BreakingNews.objects.current().first()
        context["news_index"] = NewsIndexPage.objects.live().first()
        return context


class HomeTopicSection(Orderable):
    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="topic_sections")
    title = models.CharField(max_length=80)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("title"), FieldPanel("tag")]


class NewsIndexPage(RoutablePageMixin, Page):
    """A news section; the top one is "All news". Lists every article below it."""

    template = "pages/news_index_page.html"

    intro = models.TextField(blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["news.HomePage", "news.NewsIndexPage"]
    subpage_types = ["news.NewsIndexPage", "news.ArticlePage"]

    @property
    def articles(self) -> ArticlePageQuerySet:
        return ArticlePage.objects.descendant_of(self).published().newest_first().for_listing()

    @path("")
    def index_route(self, request):
        articles = self.articles
        tag_slug = request.GET.get("tag", "")
        tag = None
        if tag_slug:
            tag = Tag.objects.filter(slug=tag_slug[:100]).first()
            articles = articles.tagged(tag) if tag else articles.none()
        return self.render(
            request, context_overrides={"articles": paginate(request, articles), "tag": tag}
        )

    @path("tag/<slug:tag_slug>/")
    def tag_route(self, request, tag_slug: str):
        tag = get_object_or_404(Tag, slug=tag_slug)
        articles = self.articles.tagged(tag)
        return self.render(
            request,
            context_overrides={"articles": paginate(request, articles), "tag": tag},
            template="pages/tag_page.html",
        )


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(Page):
    """A story: headline (the page title), dek, lead image, body, bylines, tags, source."""

    template = "pages/article_page.html"

    dek = models.TextField(
        "dek", max_length=400, blank=True, help_text="One or two sentences under the headline."
    )
    lead_image = models.ForeignKey(
        "news.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = StreamField(ArticleBodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=ArticleTag, blank=True)
    source = models.ForeignKey(
        "news.Source",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="The outlet this story was originally reported by.",
    )
    source_url = models.URLField("source link", blank=True, max_length=500)
    is_aggregated = models.BooleanField(
        default=False, help_text="Based on another outlet's reporting: a source link is required."
    )
    display_date = models.DateTimeField(
        null=True, blank=True, help_text="Shown as the story's date. Defaults to first publication."
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when the story changes materially; readers see “Updated”.",
    )
    canonical_url = models.URLField(
        blank=True, max_length=500, help_text="Only if the story first ran elsewhere."
    )
    social_image = models.ForeignKey(
        "news.NewsImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Image for social cards; the lead image is used when empty.",
    )
    reading_time_minutes = models.PositiveSmallIntegerField(default=1, editable=False)
    view_count = models.PositiveBigIntegerField(default=0, editable=False)
    comments_enabled = models.BooleanField(default=True)

    objects = ArticlePageManager()

    content_panels = [
        *Page.content_panels,
        FieldPanel("dek"),
        FieldPanel("lead_image"),
        FieldPanel("body"),
        InlinePanel("bylines", label="Bylines", min_num=0),
        FieldPanel("tags"),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("source_url"), FieldPanel("is_aggregated")],
            heading="Source attribution",
        ),
        MultiFieldPanel(
            [FieldPanel("display_date"), FieldPanel("updated_at")], heading="Dates shown to readers"
        ),
        InlinePanel("corrections", label="Corrections"),
        MultiFieldPanel(
            [
                InlinePanel("related_pins", label="Pinned", max_num=6),
                InlinePanel("related_exclusions", label="Never suggest"),
            ],
            heading="Continue reading",
        ),
    ]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("social_image"),
        FieldPanel("canonical_url"),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("comments_enabled")]

    search_fields = [
        *Page.search_fields,
        index.SearchField("dek", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("dek"),
        index.RelatedFields(
            "tags", [index.SearchField("name", boost=2), index.AutocompleteField("name")]
        ),
        index.RelatedFields("source", [index.SearchField("name")]),
        index.FilterField("first_published_at"),
        index.FilterField("expire_at"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "article"

    @property
    def headline(self) -> str:
        return self.title

    @property
    def shown_date(self):
        return self.display_date or self.first_published_at or self.latest_revision_created_at

    @property
    def section(self) -> Page | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    @cached_property
    def tag_list(self) -> list[Tag]:
        return list(self.tags.all())

    @cached_property
    def byline_profiles(self) -> list["StaffProfilePage"]:
        return [byline.profile for byline in self.bylines.all() if byline.profile_id]

    def body_text(self) -> str:
        return " ".join(
            strip_tags(str(text))
            for text in self.body.stream_block.get_searchable_content(self.body)
        )

    def compute_reading_time(self) -> int:
        words = len(self.body_text().split()) + len(self.dek.split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def save(self, *args, **kwargs):
        self.reading_time_minutes = self.compute_reading_time()
        return super().save(*args, **kwargs)

    def continue_reading(self) -> list["ArticlePage"]:
        """The stored "Continue reading" list (see news.related), in a fixed number of queries."""
        links = (
            self.related_links.filter(
                Q(related__expire_at__isnull=True) | Q(related__expire_at__gt=timezone.now())
            )
            .filter(related__live=True)
            .select_related("related__lead_image")
            .prefetch_related(
                "related__lead_image__renditions",
                Prefetch(
                    "related__bylines",
                    queryset=ArticleByline.objects.select_related("profile").order_by("sort_order"),
                ),
            )
            .order_by("rank")
        )
        return [link.related for link in links]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["continue_reading"] = self.continue_reading()
        context["news_index"] = NewsIndexPage.objects.live().filter(depth=3).first() or self.section
        return context


class ArticleByline(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    profile = models.ForeignKey(
        "news.StaffProfilePage", on_delete=models.CASCADE, related_name="bylines"
    )

    panels = [FieldPanel("profile")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "profile"], name="unique_byline_per_article")
        ]


class ArticleCorrection(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="corrections")
    corrected_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(max_length=1000)

    panels = [FieldPanel("corrected_at"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        ordering = ["corrected_at"]


class StaffIndexPage(Page):
    template = "pages/staff_index_page.html"
    intro = models.TextField(blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.StaffProfilePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["profiles"] = (
            StaffProfilePage.objects.child_of(self).live().select_related("photo").order_by("title")
        )
        return context


class StaffProfilePage(RoutablePageMixin, Page):
    """A member of staff; the page is also their author archive."""

    template = "pages/staff_profile_page.html"

    role = models.CharField(max_length=120, blank=True)
    photo = models.ForeignKey(
        "news.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bio = RichTextField(blank=True, features=["bold", "italic", "link"], max_length=3000)
    user = models.OneToOneField(
        "auth.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_profile",
        help_text="The admin account that writes as this person.",
    )
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    x_handle = models.CharField("X handle", max_length=50, blank=True)
    mastodon_url = models.URLField(blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        MultiFieldPanel(
            [
                FieldPanel("email"),
                FieldPanel("website"),
                FieldPanel("x_handle"),
                FieldPanel("mastodon_url"),
            ],
            heading="Links",
        ),
        FieldPanel("user"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("role"), index.SearchField("bio")]

    parent_page_types = ["news.StaffIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "staff profile"

    @property
    def name(self) -> str:
        return self.title

    @property
    def initials(self) -> str:
        parts = [part for part in self.title.split() if part[:1].isalpha()]
        if not parts:
            return "?"
        letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
        return letters.upper()

    @property
    def articles(self) -> ArticlePageQuerySet:
        return ArticlePage.objects.published().by_author(self).newest_first().for_listing()

    @path("")
    def index_route(self, request):
        return self.render(
            request, context_overrides={"articles": paginate(request, self.articles)}
        )
