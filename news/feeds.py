"""RSS 2.0 and Atom feeds of published stories: all news, per section, per tag, per author.

Built on Django's syndication framework; the page routes (`feed/`, `tag/<slug>/feed/`) call
the functions at the bottom, which pick the stories and the feed's title.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape

from news.sites import absolute_url

FEED_LENGTH = 30


class ArticleFeed(Feed):
    """One feed of stories. Instances are built per request with their title, link and stories."""

    feed_type = Rss201rev2Feed

    def __init__(self, *, title: str, link: str, description: str, articles, atom: bool):
        super().__init__()
        self._title = title
        self._link = link
        self._description = description
        self._articles = articles
        if atom:
            self.feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        response = super().__call__(request, *args, **kwargs)
        response["Cache-Control"] = "public, max-age=300"
        return response

    def title(self):
        return self._title

    def link(self):
        return self._link

    def description(self):
        return self._description

    subtitle = description

    def feed_url(self):
        return absolute_url(self.request, self.request.path)

    def items(self):
        return list(self._articles[:FEED_LENGTH])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # Feed readers treat a description as HTML; the dek is plain text.
        return escape(item.dek)

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        return item.shown_date

    def item_updateddate(self, item):
        return max(d for d in (item.last_published_at, item.updated_at, item.shown_date) if d)

    def item_author_name(self, item):
        return ", ".join(byline.profile.title for byline in item.bylines.all()) or None

    def item_author_link(self, item):
        bylines = list(item.bylines.all())
        return bylines[0].profile.get_full_url(self.request) if len(bylines) == 1 else None

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


def render(request, *, title: str, link: str, description: str, articles, atom: bool):
    from news.models import ArticleByline  # news.models imports this module

    feed = ArticleFeed(
        title=title,
        link=link,
        description=description,
        articles=articles.prefetch_related(
            "tags", Prefetch("bylines", queryset=ArticleByline.objects.select_related("profile"))
        ),
        atom=atom,
    )
    return feed(request)


def section_feed(request, *, section, atom: bool):
    return render(
        request,
        title=f"{section.title} · {site_name(request)}",
        link=section.get_full_url(request),
        description=section.intro or f"The latest stories from {section.title}.",
        articles=section.articles,
        atom=atom,
    )


def tag_feed(request, *, section, tag, atom: bool):
    return render(
        request,
        title=f"{tag.name} · {site_name(request)}",
        link=section.get_full_url(request) + section.reverse_subpage("tag_route", args=[tag.slug]),
        description=f"The latest stories tagged “{tag.name}”.",
        articles=section.articles.tagged(tag),
        atom=atom,
    )


def author_feed(request, *, profile, atom: bool):
    return render(
        request,
        title=f"{profile.title} · {site_name(request)}",
        link=profile.get_full_url(request),
        description=f"The latest stories by {profile.title}.",
        articles=profile.articles,
        atom=atom,
    )


def site_name(request) -> str:
    from news.models import NewsroomSettings

    return NewsroomSettings.for_request(request).name
