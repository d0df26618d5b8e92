"""Search-box suggestions: published headlines, tags in use and public staff profiles."""

from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from news.models import ArticlePage
from search.query import (
    CleanQuery,
    completing_entries,
    public_profiles,
    ranked_articles,
    tags_in_use,
    visible_entries,
)

MIN_PREFIX = 2
MAX_AUTOCOMPLETE_LENGTH = 100


def autocomplete(request: HttpRequest, query: CleanQuery, *, limit: int = 5) -> list[dict]:
    """Suggestions for the text typed so far: headlines, then tags, then authors."""
    if len(query.text) < MIN_PREFIX or not query.words:
        return []
    words = CleanQuery(text=" ".join(query.words), truncated=False)
    published = ArticlePage.objects.published()
    headlines = ranked_articles(
        completing_entries(words, visible_entries()).order_by("-rank", "-article_id"),
        published,
        slice(0, limit),
    )
    tags = tags_in_use().filter(name__istartswith=query.text).order_by("name")[:limit]
    people = public_profiles().filter(title__icontains=query.text).order_by("title")[:limit]
    search_url = reverse("search")
    return (
        [
            {"label": page.title, "kind": "headline", "url": page.get_url(request)}
            for page in headlines
        ]
        + [
            {
                "label": tag.name,
                "kind": "tag",
                "url": f"{search_url}?{urlencode({'tag': tag.slug})}",
            }
            for tag in tags
        ]
        + [
            {"label": person.title, "kind": "author", "url": person.get_url(request)}
            for person in people
        ]
    )
