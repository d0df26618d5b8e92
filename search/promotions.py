"""Editor's picks (Wagtail's search promotions) for a query, limited to what readers may see."""

from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page

from news.models import ArticlePage
from search.query import CleanQuery


def promotions_for(query: CleanQuery) -> list[SearchPromotion]:
    """Picks for exactly this query, in the editors' order. A pick of a page that readers
    may not see (draft, private, expired or embargoed article) is left out."""
    picks = list(
        SearchPromotion.objects.filter(query__query_string=query.normalised)
        .select_related("page")
        .order_by("sort_order", "pk")
    )
    page_ids = {pick.page_id for pick in picks if pick.page_id}
    if not page_ids:
        return picks
    visible = set(
        Page.objects.live().public().filter(pk__in=page_ids).values_list("pk", flat=True)
    ) - set(
        ArticlePage.objects.filter(pk__in=page_ids)
        .exclude(pk__in=ArticlePage.objects.published().values("pk"))
        .values_list("pk", flat=True)
    )
    return [pick for pick in picks if not pick.page_id or pick.page_id in visible]
