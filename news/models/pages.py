"""The newsroom's page types: front page, news sections, articles and staff profiles."""

import json
import math
import re
from urllib.parse import urlencode

from django import forms
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import BadRequest, ObjectDoesNotExist
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db import models
from django.db.models import F, OuterRef, Q, Window, prefetch_related_objects
from django.db.models.functions import Coalesce, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import COMMENTS_RELATION_NAME, Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from editorial.panels import PublicationChecklistPanel
from news import feeds, sections, sites, structured_data
from news.blocks import ArticleBodyBlock
from news.caching import PageCachePolicyMixin
from news.listing_counts import ListingPaginator
from news.models.embargo import EmbargoMixin, EmbargoQuerySetMixin
from news.models.fronts import FrontMixin
from news.models.snippets import BreakingNews
from news.view_restrictions import CachedViewRestrictionsMixin, restricted_paths, restricted_q

WORDS_PER_MINUTE = 230
ARTICLES_PER_PAGE = 12


SLUG_RE = re.compile(r"[-\w]{1,100}")


def paginate(
    request, queryset, per_page: int = ARTICLES_PER_PAGE, *, listing: str | None = None
) -> PaginatorPage:
    """The requested page of a listing; junk or out-of-range page numbers are a 404.

    A `listing` name (unique to what the queryset selects) keeps its total in the cache.
    """
    raw = request.GET.get("page", "1")
    if not re.fullmatch(r"[0-9]{1,6}", raw):
        raise Http404("No such page.")
    if listing is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = ListingPaginator(queryset, per_page, listing=listing)
    number = int(raw)
    if number < 1 or number > max(paginator.num_pages, 1):
        raise Http404("No such page.")
    return paginator.page(number)


class NewsPageQuerySet(PageQuerySet):
    def private_q(self):
        # Wagtail's loads every view restriction on each call; ours reads them from the cache.
        return restricted_q()

    def public(self):
        # With no restricted section there is nothing to exclude, and an empty exclusion
        # still costs Django a filter to build and compile on every listing.
        if not restricted_paths():
            return self.all()
        return super().public()


NewsPageManager = PageManager.from_queryset(NewsPageQuerySet)


def child_by_slug(pages: models.QuerySet, parent: Page, slug: str) -> Page | None:
    """The child of `parent` among `pages` with this slug, or None. Slugs are unique among
    siblings, so, as in Wagtail's `Page.route`, `get()` skips the tree-path ordering that
    `first()` would have Django compile and PostgreSQL apply."""
    try:
        return pages.child_of(parent).get(slug=slug)
    except pages.model.DoesNotExist:
        return None


def route_to_child(parent: Page, request, path_components, child_models: list[type[Page]]):
    """Route into the child named by the first component: a live section from the cache
    (`news.sections`), anything else in one query per page type tried (Wagtail takes two: the
    child page, then its specific row). None when no child of these types has that slug, or
    the section is not live (the caller then falls back to Wagtail's routing)."""
    if not path_components:
        return None
    for model in child_models:
        if issubclass(model, sections.section_models()):
            child = sections.live_section(request, parent, path_components[0], model)
        else:
            child = child_by_slug(model.objects.all(), parent, path_components[0])
        if child is not None:
            child._cached_parent_obj = parent
            return child.route(request, path_components[1:])
    return None


# What a card shows: headline, link, dek, date and lead image (`author_names` comes with them).
CARD_FIELDS = (
    "title",
    "url_path",
    "dek",
    "display_date",
    "first_published_at",
    "latest_revision_created_at",
    "lead_image",
)


class ArticlePageQuerySet(EmbargoQuerySetMixin, NewsPageQuerySet):
    def published(self, *, now=None):
        """What readers may see: live, public, not under embargo and not past its expiry time.

        `live()` alone is not enough: an expired article stays live until the scheduler takes
        it down, and a private (password or login) page is live too. The publication gate keeps
        embargoed stories from going live; this keeps them out should one be live anyway.
        """
        now = now or timezone.now()
        return (
            self.live()
            .public()
            .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=now))
            .not_under_embargo(at=now)
        )

    def hidden(self, *, now=None):
        """What readers may not see: exactly the articles `published()` leaves out (drafts,
        past their expiry time, under embargo, or in a restricted section). A small set, which
        partial indexes serve (search/migrations/0005, the embargo's own index), for excluding
        it where the visible set is large.
        """
        now = now or timezone.now()
        return self.filter(
            Q(live=False) | Q(expire_at__lte=now) | self.embargoed_q(at=now) | self.private_q()
        )

    def newest_first(self):
        return self.order_by("-first_published_at", "-pk")

    def tagged(self, tag: Tag):
        return self.filter(tags=tag)

    def by_author(self, profile: "StaffProfilePage"):
        return self.filter(bylines__profile=profile)

    def by_writer(self, user):
        """The stories `user` owns or is bylined on."""
        return self.filter(Q(owner=user) | Q(bylines__profile__user=user)).distinct()

    def with_author_names(self):
        """`author_names`: the bylines' names in order, read with the articles themselves (a
        card shows only the names, so no byline or profile rows are loaded)."""
        names = (
            ArticleByline.objects.filter(page=OuterRef("pk"))
            .order_by("sort_order", "pk")
            .values("profile__title")
        )
        return self.annotate(author_names=ArraySubquery(names))

    def with_view_counts(self):
        """`view_count` read with the articles themselves (readership's all-time total)."""
        return self.annotate(view_count=Coalesce(F("total_views__views"), 0))

    def only_card_fields(self):
        """Only the columns a card shows: an article row is wide (its body above all), and
        Django builds, hashes and converts every selected column of every card. Not for
        feeds or search results, which show the body too."""
        return self.only(*CARD_FIELDS)

    def for_listing(self):
        """Everything a listing card shows, in a fixed number of queries."""
        return (
            self.select_related("lead_image")
            .prefetch_related("lead_image__renditions")
            .with_author_names()
        )

    def latest_per_tag(self, tag_ids: list[int], *, per_tag: int):
        """The newest `per_tag` articles of each tag, in one query; each row carries `tag_id`."""
        tag = F("tagged_items__tag_id")
        return (
            self.filter(tagged_items__tag_id__in=tag_ids)
            .annotate(
                listed_tag_id=tag,
                rank_in_tag=Window(
                    RowNumber(),
                    partition_by=tag,
                    order_by=[F("first_published_at").desc(), F("pk").desc()],
                ),
            )
            .filter(rank_in_tag__lte=per_tag)
            .order_by("listed_tag_id", "rank_in_tag")
        )


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class HomePage(PageCachePolicyMixin, CachedViewRestrictionsMixin, FrontMixin, Page):
    """The front page: the editors' front (lead, sections, live coverage, most read, latest)
    under the breaking-news banner."""

    template = "pages/home_page.html"

    content_panels = [*Page.content_panels, *FrontMixin.front_panels]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["news.NewsIndexPage", "news.StaffIndexPage"]
    max_count = 1

    def route(self, request, path_components):
        children = [NewsIndexPage, StaffIndexPage]
        return route_to_child(self, request, path_components, children) or super().route(
            request, path_components
        )

    @property
    def meta_description(self) -> str:
        return self.search_description

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.front_context(request))
        banner, changes_at = BreakingNews.objects.shown_and_next_change()
        self.note_change_at(request, changes_at)
        context["breaking_news"] = banner
        context["news_index"] = NewsIndexPage.objects.live().first()
        context["structured_data"] = structured_data.website(self, request=request)
        return context


class NewsIndexPage(
    PageCachePolicyMixin, CachedViewRestrictionsMixin, FrontMixin, RoutablePageMixin, Page
):
    """A news section; the top one is "All news". Its front (lead, sections below it, most read)
    over every article below it, newest first."""

    template = "pages/news_index_page.html"
    page_cache_params = frozenset({"page", "tag"})
    # A new section shows in the header (news.navigation) until an editor says otherwise.
    show_in_menus_default = True

    objects = NewsPageManager()

    intro = models.TextField(blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro"), *FrontMixin.front_panels]

    parent_page_types = ["news.HomePage", "news.NewsIndexPage"]
    subpage_types = ["news.NewsIndexPage", "news.ArticlePage", "live.LivePage"]

    @property
    def meta_description(self) -> str:
        return self.search_description or self.intro

    @property
    def articles(self) -> ArticlePageQuerySet:
        return ArticlePage.objects.descendant_of(self).published().newest_first().for_listing()

    def get_tag(self, slug: str) -> Tag:
        """The tag behind a `/tag/<slug>/` route or a `?tag=` filter; unknown slugs are a 404."""
        return tag_readers_know(slug)

    def route(self, request, path_components):
        """An article or a section below this one in one query each, with what an article's
        page shows; this section's own routes (tag pages, feeds) come first, as in Wagtail's
        RoutablePageMixin, and anything else goes through Wagtail's routing."""
        if path_components and self.live:
            try:
                self.resolve_subpage("/" + "/".join(path_components) + "/")
            except Http404:
                routed = self.route_to_article(request, path_components) or route_to_child(
                    self, request, path_components, [NewsIndexPage]
                )
                if routed is not None:
                    return routed
        return super().route(request, path_components)

    def route_to_article(self, request, path_components):
        if len(path_components) != 1:
            return None
        article = child_by_slug(
            ArticlePage.objects.select_related("lead_image", "source", "total_views"),
            self,
            path_components[0],
        )
        if article is None:
            return None
        article._cached_parent_obj = self
        return article.route(request, [])

    @path("")
    def index_route(self, request):
        filters = ListingFilters.from_request(request)
        articles = filters.apply(self.articles.only_card_fields())
        listing = f"section:{self.pk}:{filters.listing_key}"
        page = paginate(request, articles, listing=listing)
        # The front tops the first page of the unfiltered listing only.
        shows_front = page.number == 1 and not (filters.tag or filters.author)
        return self.render(
            request,
            context_overrides={
                "articles": page,
                "filters": filters,
                "tag": filters.tag,
                "author": filters.author,
                **(self.front_context(request) if shows_front else {}),
            },
        )

    @path("tag/<slug:tag_slug>/")
    def tag_route(self, request, tag_slug: str):
        tag = self.get_tag(tag_slug)
        return self.render(
            request,
            context_overrides={
                "articles": paginate(
                    request,
                    self.articles.tagged(tag).only_card_fields(),
                    listing=f"section:{self.pk}:tag={tag.pk}",
                ),
                "tag": tag,
                "canonical_path": self.reverse_subpage("tag_route", args=[tag.slug]),
            },
            template="pages/tag_page.html",
        )

    def get_cached_paths(self):
        # The listing and its feeds: purged together when an article below changes.
        return ["/", "feed/", "feed/atom/"]

    @path("feed/")
    def rss_feed(self, request):
        return feeds.section_feed(request, section=self, atom=False)

    @path("feed/atom/")
    def atom_feed(self, request):
        return feeds.section_feed(request, section=self, atom=True)

    @path("tag/<slug:tag_slug>/feed/")
    def tag_rss_feed(self, request, tag_slug: str):
        return feeds.tag_feed(request, section=self, tag=self.get_tag(tag_slug), atom=False)

    @path("tag/<slug:tag_slug>/feed/atom/")
    def tag_atom_feed(self, request, tag_slug: str):
        return feeds.tag_feed(request, section=self, tag=self.get_tag(tag_slug), atom=True)


def tag_readers_know(slug: str) -> Tag:
    """The tag a published article carries; any other slug is a 404, whether no such tag exists
    or only drafts, embargoed or private stories carry it (its existence would betray them)."""
    on_published = ArticleTag.objects.filter(
        content_object__in=ArticlePage.objects.published()
    ).values("tag_id")
    return get_object_or_404(Tag.objects.filter(slug=slug, pk__in=on_published))


class ListingFilters:
    """The `?tag=` and `?author=` filters of a news listing, checked before they reach the ORM.

    A malformed slug is a 400; a well-formed slug that names nothing is a 404.
    """

    def __init__(self, *, tag: Tag | None = None, author: "StaffProfilePage | None" = None):
        self.tag = tag
        self.author = author

    @classmethod
    def from_request(cls, request) -> "ListingFilters":
        tag_slug = request.GET.get("tag", "")
        author_slug = request.GET.get("author", "")
        for value in (tag_slug, author_slug):
            if value and not SLUG_RE.fullmatch(value):
                raise BadRequest("Filters take a slug: letters, digits, hyphens or underscores.")
        tag = tag_readers_know(tag_slug) if tag_slug else None
        author = (
            get_object_or_404(StaffProfilePage.objects.live().public(), slug=author_slug)
            if author_slug
            else None
        )
        return cls(tag=tag, author=author)

    def apply(self, articles: ArticlePageQuerySet) -> ArticlePageQuerySet:
        if self.tag:
            articles = articles.tagged(self.tag)
        if self.author:
            articles = articles.by_author(self.author)
        return articles

    @property
    def listing_key(self) -> str:
        """What the filters select, for naming the listing's cached count."""
        tag = self.tag.pk if self.tag else ""
        author = self.author.pk if self.author else ""
        return f"tag={tag}:author={author}"

    @property
    def query_string(self) -> str:
        """The filters as a query string to carry across pagination links (may be empty)."""
        params = {}
        if self.tag:
            params["tag"] = self.tag.slug
        if self.author:
            params["author"] = self.author.slug
        return urlencode(params)


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(EmbargoMixin, PageCachePolicyMixin, CachedViewRestrictionsMixin, Page):
    """A story: headline (the page title), dek, lead image, body, bylines, tags, source."""

    template = "pages/article_page.html"

    dek = models.TextField(
        "dek", max_length=400, blank=True, help_text="One or two sentences under the headline."
    )
    lead_image = models.ForeignKey(
        "news.NewsImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_image_caption = models.CharField(
        "caption",
        max_length=300,
        blank=True,
        help_text="What this photo shows in this story. Empty: the image library's caption.",
    )
    lead_image_credit = models.CharField(
        "credit",
        max_length=200,
        blank=True,
        help_text="Photographer or agency. Empty: the image library's credit.",
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
        "aggregated from another outlet",
        default=False,
        help_text="Based on another outlet's reporting: a source link is required.",
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
    comments_enabled = models.BooleanField(default=True)
    import_key = models.CharField(
        max_length=255,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text="Where an imported story came from (its id or guid in the export), so a "
        "second import of the same file changes nothing.",
    )

    objects = ArticlePageManager()

    # In the order a story is written: the headline and dek, the picture, the text, who wrote
    # it and what it is about; then sourcing, what readers are told about dates and
    # corrections, and the "Continue reading" picks.
    content_panels = [
        PublicationChecklistPanel(heading="Publication checklist"),
        TitleFieldPanel("title", heading="Headline", placeholder="Headline*"),
        FieldPanel("dek"),
        MultiFieldPanel(
            [
                FieldPanel("lead_image", heading="Photo"),
                FieldPanel("lead_image_caption"),
                FieldPanel("lead_image_credit"),
            ],
            heading="Lead image",
        ),
        FieldPanel("body", heading="Story"),
        InlinePanel("bylines", heading="Byline(s)", label="byline", min_num=0),
        FieldPanel("tags"),
    ]
    sourcing_panels = [
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("source_url"), FieldPanel("is_aggregated")],
            heading="Source attribution",
        ),
        MultiFieldPanel(
            [FieldPanel("display_date"), FieldPanel("updated_at")], heading="Dates shown to readers"
        ),
        InlinePanel("corrections", heading="Corrections", label="correction"),
        MultiFieldPanel(
            [
                InlinePanel(
                    "related_pins", heading="Related: pin", label="pinned story", max_num=6
                ),
                InlinePanel(
                    "related_exclusions",
                    heading="Related: never suggest",
                    label="story never to suggest",
                ),
            ],
            heading="Continue reading",
        ),
    ]
    promote_panels = [
        *Page.promote_panels,
        FieldPanel("social_image"),
        FieldPanel("canonical_url"),
    ]
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(EmbargoMixin.embargo_panels, heading="Embargo"),
        FieldPanel("comments_enabled"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Story"),
            ObjectList(sourcing_panels, heading="Sources and dates"),
            ObjectList(promote_panels, heading="Promote"),
            ObjectList(settings_panels, heading="Settings"),
        ]
    )

    # PostgreSQL ranks with four weights (A–D), assigned from boosts project-wide; images'
    # title already claims 10. Keep to these four values so the order stays: headline (A,
    # ranked in a vector of its own) > dek (B) > tags, authors (C) > body, source (D).
    # Only the headline feeds autocomplete: tags and authors come from their own tables.
    search_fields = [
        *Page.search_fields,
        index.SearchField("title", boost=10),
        index.SearchField("dek", boost=2),
        index.SearchField("body", boost=1),
        index.RelatedFields("tags", [index.SearchField("name", boost=1.5)]),
        index.RelatedFields(
            "bylines", [index.RelatedFields("profile", [index.SearchField("name", boost=1.5)])]
        ),
        index.RelatedFields("source", [index.SearchField("name", boost=1)]),
        index.FilterField("first_published_at"),
        index.FilterField("expire_at"),
        index.FilterField("embargo_until"),  # published() leaves embargoed stories out
    ]
    # Indexed by a Celery task after commit (search/signals.py), not in the publish request:
    # the backend's title-norm refresh alone scans the whole index (≈450 ms at 100k articles).
    search_auto_update = False

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

    og_type = "article"

    @cached_property
    def section(self) -> Page | None:
        parent = self.get_parent()
        return parent.specific if parent else None

    @cached_property
    def breadcrumbs(self) -> list[Page]:
        """The pages above this story, from its home page down: the parents routing loaded (no
        query when the story was routed to; one per level otherwise, as in a preview)."""
        trail = []
        page = self
        while page.depth > sites.SITE_ROOT_MAX_DEPTH:
            page = page.get_parent()
            if page is None:
                break
            trail.append(page)
        return trail[::-1]

    @property
    def kicker_section(self) -> Page | None:
        """The section a story is filed in, shown above its headline; None when it is filed
        straight under "All news" (its first topic is the kicker then)."""
        section = self.section
        if section is None or section.depth <= sites.SITE_ROOT_MAX_DEPTH + 1:
            return None
        return section

    def top_section(self) -> "NewsIndexPage | None":
        """The "All news" section above this article, walking up the parents that routing
        has already loaded (no query when the article was routed to)."""
        page = self
        while page.depth > 3 and getattr(page, "_cached_parent_obj", None) is not None:
            page = page._cached_parent_obj
        return page if isinstance(page, NewsIndexPage) and page.depth == 3 else None

    @cached_property
    def tag_list(self) -> list[Tag]:
        return list(self.tags.order_by("name"))

    @cached_property
    def byline_profiles(self) -> list["StaffProfilePage"]:
        """The authors in byline order, with their photos, in one query."""
        return list(
            StaffProfilePage.objects.filter(bylines__page=self)
            .select_related("photo")
            # What a byline and an author box show; only a live profile is linked.
            .only("title", "url_path", "live", "role", "bio", "photo")
            .order_by("bylines__sort_order", "bylines__pk")
        )

    @cached_property
    def correction_list(self) -> list["ArticleCorrection"]:
        return list(ArticleCorrection.objects.filter(page=self).order_by("corrected_at", "pk"))

    @property
    def is_updated(self) -> bool:
        """Whether readers see an "Updated" notice: set by an editor, after the shown date."""
        return bool(self.updated_at and (not self.shown_date or self.updated_at > self.shown_date))

    @property
    def share_image(self):
        return self.social_image or self.lead_image

    @property
    def meta_description(self) -> str:
        return self.search_description or self.dek

    def byline_writer(self, user) -> None:
        """Byline this (unsaved) story to `user`, when they write as a member of staff."""
        profile = StaffProfilePage.objects.filter(user=user).first()
        if profile is not None and not list(self.bylines.all()):
            self.bylines = [ArticleByline(profile=profile)]

    def is_expired_now(self, *, now=None) -> bool:
        return bool(self.expire_at and self.expire_at <= (now or timezone.now()))

    def body_images(self) -> list:
        """Every image the body shows, in order (figure blocks)."""
        return [
            block.value["image"]
            for block in self.body
            if block.block_type == "image" and block.value["image"]
        ]

    def prefetch_for_reading(self, cards: list["ArticlePage"] = ()) -> None:
        """Load the images of the page (lead, social, body, author photos, and those of the
        `cards` it shows) with their renditions in one query, so rendering the page costs the
        same however many images it shows."""
        images = [self.lead_image, self.social_image, *self.body_images()]
        images += [profile.photo for profile in self.byline_profiles]
        images += [card.lead_image for card in cards]
        images = [image for image in images if image is not None]
        if images:
            # A fresh cache per image: prefetch_related_objects skips already-prefetched ones.
            for image in images:
                getattr(image, "_prefetched_objects_cache", {}).pop("renditions", None)
            prefetch_related_objects(images, "renditions")

    def get_sitemap_urls(self, request=None):
        # Wagtail lists live public pages; an expired story can still be live until the
        # scheduler takes it down, and a story that first ran elsewhere is not ours to list.
        if self.is_expired_now() or self.canonical_url:
            return []
        return super().get_sitemap_urls(request)

    def body_text(self) -> str:
        return " ".join(
            strip_tags(str(text))
            for text in self.body.stream_block.get_searchable_content(self.body)
        )

    def compute_reading_time(self) -> int:
        words = len(self.body_text().split()) + len(self.dek.split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    # Page-level bookkeeping in a revision's content, not what the story says.
    NOT_REVISION_CONTENT = frozenset(
        {
            *("pk", "path", "depth", "numchild", "url_path", "draft_title", "alias_of"),
            *("live", "has_unpublished_changes", "live_revision", "expired", "owner"),
            *("first_published_at", "last_published_at", "latest_revision"),
            *("latest_revision_created_at", "locked", "locked_by", "locked_at"),
            *("view_count", COMMENTS_RELATION_NAME),
        }
    )

    def says_what_is_live(self) -> bool:
        """Whether this version of the story is the one readers have (its live revision)."""
        if not self.live or self.live_revision is None:
            return False

        streams = {field.name for field in self._meta.fields if isinstance(field, StreamField)}

        def without_block_ids(value):
            # A block's id is the editor's handle on it, not what it says.
            if isinstance(value, dict):
                return {k: without_block_ids(v) for k, v in value.items() if k != "id"}
            if isinstance(value, list):
                return [without_block_ids(item) for item in value]
            return value

        def content(data):
            return {
                k: without_block_ids(json.loads(v) if k in streams and isinstance(v, str) else v)
                for k, v in data.items()
                if k not in self.NOT_REVISION_CONTENT
            }

        return content(self.serializable_data()) == content(self.live_revision.content)

    def save_revision(self, *args, changed=True, **kwargs):
        """Wagtail's, except that a version equal to the live one (the editor's autosave
        firing right after a publish, "Save draft" with nothing changed, an edit undone) is
        no unpublished change: the story stays "live", not "live + draft"."""
        is_live_version = self.says_what_is_live()
        revision = super().save_revision(*args, changed=changed and not is_live_version, **kwargs)
        if is_live_version and self.has_unpublished_changes:
            self.has_unpublished_changes = False
            type(self).objects.filter(pk=self.pk).update(has_unpublished_changes=False)
        return revision

    def save(self, *args, **kwargs):
        self.reading_time_minutes = self.compute_reading_time()
        return super().save(*args, **kwargs)

    @property
    def view_count(self) -> int:
        """All-time views, from readership's total (`ArticleTotalViews`). Routing selects it
        with the article and listings annotate it (`with_view_counts()`): no query per page."""
        if "_annotated_view_count" in self.__dict__:
            return self._annotated_view_count
        try:
            return self.total_views.views
        except ObjectDoesNotExist:
            return 0

    @view_count.setter
    def view_count(self, value: int) -> None:
        # Only `with_view_counts()` sets it; the flush writes the total, never a page.
        self._annotated_view_count = value

    def continue_reading(self) -> list["ArticlePage"]:
        """The stored "Continue reading" list (see news.related) as cards, in rank order; a
        story unpublished, expired or restricted since the list was stored is left out. Their
        images' renditions come with the page's own (`prefetch_for_reading`)."""
        return list(
            ArticlePage.objects.published()
            .filter(related_in__article=self)
            .order_by("related_in__rank")
            .select_related("lead_image")
            .with_author_names()
            .only_card_fields()
        )

    def serve(self, request, *args, **kwargs):
        # Past its expiry time a story is gone for readers, even before the scheduler runs.
        if self.is_expired_now():
            raise Http404("This story is no longer available.")
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["continue_reading"] = cards = self.continue_reading()
        self.prefetch_for_reading(cards)
        top = self.top_section()
        context["news_index"] = (
            top or NewsIndexPage.objects.live().filter(depth=3).first() or self.section
        )
        context["structured_data"] = structured_data.news_article(self, request=request)
        return context


class ArticleByline(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="bylines")
    profile = models.ForeignKey(
        "news.StaffProfilePage",
        on_delete=models.CASCADE,
        related_name="bylines",
        verbose_name="name",
    )

    # A list of the staff's names: a byline is a colleague, not a page to browse for.
    panels = [FieldPanel("profile", widget=forms.Select)]

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


class StaffIndexPage(PageCachePolicyMixin, CachedViewRestrictionsMixin, Page):
    template = "pages/staff_index_page.html"
    show_in_menus_default = True
    intro = models.TextField(blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["news.HomePage"]
    subpage_types = ["news.StaffProfilePage"]
    max_count = 1

    def route(self, request, path_components):
        children = [StaffProfilePage]
        return route_to_child(self, request, path_components, children) or super().route(
            request, path_components
        )

    @property
    def meta_description(self) -> str:
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["profiles"] = (
            StaffProfilePage.objects.child_of(self)
            .live()
            .select_related("photo")
            .prefetch_related("photo__renditions")
            .order_by("title")
        )
        return context


class StaffProfilePage(PageCachePolicyMixin, CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """A member of staff; the page is also their author archive."""

    template = "pages/staff_profile_page.html"
    page_cache_params = frozenset({"page"})

    objects = NewsPageManager()

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
    search_fields = [
        *Page.search_fields,
        index.SearchField("role", boost=1.5),
        index.SearchField("bio"),
        index.FilterField("expire_at"),
    ]

    parent_page_types = ["news.StaffIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "staff profile"

    og_type = "profile"

    @property
    def name(self) -> str:
        return self.title

    @property
    def share_image(self):
        return self.photo

    @property
    def meta_description(self) -> str:
        return self.search_description or strip_tags(self.bio)

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
            request,
            context_overrides={
                "articles": paginate(
                    request, self.articles.only_card_fields(), listing=f"author:{self.pk}"
                ),
                "structured_data": structured_data.person(self, request=request),
            },
        )

    def get_cached_paths(self):
        return ["/", "feed/", "feed/atom/"]

    @path("feed/")
    def rss_feed(self, request):
        return feeds.author_feed(request, profile=self, atom=False)

    @path("feed/atom/")
    def atom_feed(self, request):
        return feeds.author_feed(request, profile=self, atom=True)
