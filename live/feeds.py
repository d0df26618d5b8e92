"""RSS 2.0 and Atom feeds of a live page's entries, newest first (corrections carry their note;
removed entries and drafts are left out)."""

from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from news.feeds import FEED_LENGTH, site_name
from news.sites import absolute_url


class LiveEntryFeed(Feed):
    feed_type = Rss201rev2Feed

    def __init__(self, *, page, atom: bool):
        super().__init__()
        self.page = page
        if atom:
            self.feed_type = Atom1Feed

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return f"{self.page.title} · {site_name(self.request)}"

    def link(self):
        return self.page.get_full_url(self.request)

    def description(self):
        return self.page.summary or f"Live coverage: {self.page.title}."

    subtitle = description

    def feed_url(self):
        return absolute_url(self.request, self.request.path)

    def items(self):
        entries = self.page.entries.exclude(state="deleted").newest_first()
        return list(entries[:FEED_LENGTH])

    def item_title(self, item):
        return item.headline or self.page.title

    def item_description(self, item):
        return render_to_string(
            "components/live/entry_feed.html", {"entry": item}, request=self.request
        )

    def item_link(self, item):
        return absolute_url(self.request, item.permalink_path())

    def item_guid(self, item):
        return self.item_link(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.corrected_at or item.published_at

    def item_author_name(self, item):
        return ", ".join(profile.title for profile in item.authors.all()) or None


def coverage_feed(request, *, page, atom: bool):
    return LiveEntryFeed(page=page, atom=atom)(request)
