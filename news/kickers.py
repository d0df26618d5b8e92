"""Kickers on cards: the section a story is filed in or, for a story filed straight under
"All news", its first topic (as at the top of the story itself), read for a whole listing in
at most two queries rather than one or two per card."""

from collections.abc import Iterable


def attach(cards: Iterable) -> None:
    """Give each card its `section` (the page it is filed in) and `kicker_tag`, which the card's
    kicker reads: the parents in one query, the first topics of stories filed straight under
    "All news" (when a card is) in one more."""
    from news.models import ArticleTag, NewsIndexPage

    cards = list(cards)
    if not cards:
        return
    steplen = NewsIndexPage.steplen
    parents = {
        section.path: section
        for section in NewsIndexPage.objects.filter(
            path__in={card.path[:-steplen] for card in cards}
        ).only("title", "url_path", "path", "depth", "slug")
    }
    topical = {}
    for card in cards:
        card.section = parents.get(card.path[:-steplen])  # ArticlePage.section, loaded
        card.kicker_tag = None
        if card.kicker_section is None:
            topical[card.pk] = card
    if topical:
        first = (
            ArticleTag.objects.filter(content_object_id__in=topical)
            .select_related("tag")
            .order_by("content_object_id", "tag__name")
            .distinct("content_object_id")
        )
        for tagged in first:
            topical[tagged.content_object_id].kicker_tag = tagged.tag
