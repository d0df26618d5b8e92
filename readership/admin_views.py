"""Admin views for readership: the article views listing and the dashboard panels."""

from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView

from readership.counting import most_read
from readership.models import ArticleDailyViews, Reaction


def _reactions(kind: str):
    votes = (
        Reaction.objects.filter(article=OuterRef("pk"), kind=kind)
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(votes, output_field=IntegerField()), 0)


class ArticleViewsIndexView(IndexView):
    """Every article with its total views, last week's views and its reader reactions."""

    default_ordering = "-view_count"
    base_columns = [
        *IndexView.base_columns,
        Column("view_count", label="Views", sort_key="view_count", width="8%"),
        Column("views_week", label="Views, 7 days", sort_key="views_week", width="10%"),
        Column("informative", label="Informative", sort_key="informative", width="8%"),
        Column("not_informative", label="Not informative", sort_key="not_informative"),
        Column("want_more", label="Want more", sort_key="want_more", width="8%"),
    ]

    def get_base_queryset(self):
        since = timezone.localdate() - timedelta(days=7)
        week = (
            ArticleDailyViews.objects.filter(article=OuterRef("pk"), day__gte=since)
            .values("article")
            .annotate(n=Sum("views"))
            .values("n")
        )
        return (
            super()
            .get_base_queryset()
            .with_view_counts()
            .annotate(
                views_week=Coalesce(Subquery(week, output_field=IntegerField()), 0),
                informative=_reactions(Reaction.Kind.INFORMATIVE),
                not_informative=_reactions(Reaction.Kind.NOT_INFORMATIVE),
                want_more=_reactions(Reaction.Kind.WANT_MORE),
            )
        )

    def get_valid_orderings(self):
        return [
            *super().get_valid_orderings(),
            *(
                f"{p}{name}"
                for name in (
                    "view_count",
                    "views_week",
                    "informative",
                    "not_informative",
                    "want_more",
                )
                for p in ("", "-")
            ),
        ]


class MostReadPanel(Component):
    name = "most_read"
    template_name = "readership/admin/most_read_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        return {
            "day": list(most_read(days=1, limit=10)),
            "week": list(most_read(days=7, limit=10)),
        }


class PendingCommentsPanel(Component):
    name = "pending_comments"
    template_name = "readership/admin/pending_comments_panel.html"
    order = 140

    def __init__(self, pending: int):
        self.pending = pending

    def get_context_data(self, parent_context):
        return {"pending": self.pending}
