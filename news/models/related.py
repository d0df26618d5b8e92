"""Related articles: the stored "Continue reading" lists, their text index, and editors' picks.

`RelatedArticle` holds each article's top suggestions, ranked and scored ahead of time by
`news.related`, so the article page reads them in one indexed query. `ArticleTerms` is the
weighted full-text vector of every article readers may see (and only those: a row exists while
the article is published), and `RelatedLexeme` counts in how many of them each lexeme occurs,
which is what makes a word distinctive. `RelatedPin` and `RelatedExclusion` are the editors'
say, edited on the article itself; `RelatedPass` is the nightly recompute's checkpoint.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import Orderable


class RelatedArticle(models.Model):
    class Reason(models.TextChoices):
        PINNED = "pinned", "Pinned by an editor"
        SCORED = "scored", "Scored"
        FALLBACK = "fallback", "Latest in the same tag or section"

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="related_links"
    )
    related = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="related_in"
    )
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    reason = models.CharField(max_length=8, choices=Reason.choices)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "related"], name="unique_related_pair"),
            models.CheckConstraint(
                condition=~models.Q(article=models.F("related")), name="related_not_itself"
            ),
        ]
        indexes = [models.Index(fields=["article", "rank"], name="related_article_rank")]
        ordering = ["article", "rank"]

    def __str__(self) -> str:
        return f"{self.article_id} → {self.related_id} (#{self.rank}, {self.score:.3f})"


class ArticleTerms(models.Model):
    """The weighted tsvector of a published article: headline A, dek B, body D, and the
    headline's named entities again as C (see `news.related.headline_entities`)."""

    article = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    published_at = models.DateTimeField()
    vector = SearchVectorField()
    lexeme_count = models.PositiveIntegerField(
        default=0, help_text="Distinct lexemes in the vector: its length, for normalising."
    )

    class Meta:
        indexes = [
            # No pending list: every lookup would scan it (up to 4 MB) before the index proper.
            GinIndex(fields=["vector"], name="article_terms_vector", fastupdate=False),
            models.Index(fields=["published_at"], name="article_terms_published"),
        ]

    def __str__(self) -> str:
        return f"Terms of article {self.article_id}"


class RelatedLexeme(models.Model):
    """In how many `ArticleTerms` rows a lexeme occurs (document frequency, for idf)."""

    lexeme = models.TextField(primary_key=True)
    documents = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.lexeme}: {self.documents}"


class RelatedRefreshQueue(models.Model):
    """An article whose text index row and "Continue reading" list wait to be recomputed.

    Written in the transaction that publishes the article, so the work survives a lost broker
    message; drained in batches by `news.drain_related_queue` (`news.related.drain_refresh_queue`):
    a batch is claimed for a while (`FOR UPDATE SKIP LOCKED`, so workers share the queue) and
    its rows deleted once its lists are stored. A worker that dies mid-batch leaves its claim
    to expire, and the batch is done again. One row per article however often it is queued;
    queued again while claimed, it is done again after.
    """

    article = models.OneToOneField(
        "news.ArticlePage", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    queued_at = models.DateTimeField()
    claimed_until = models.DateTimeField(
        null=True, help_text="A worker is recomputing it until then (after that, it is redone)."
    )

    class Meta:
        indexes = [models.Index(fields=["queued_at"], name="related_refresh_queued")]

    def __str__(self) -> str:
        return f"Refresh related of {self.article_id}"


class RelatedPass(models.Model):
    """Where the nightly recompute of every list has got to: one row, advanced in the same
    transaction as each batch's lists, so the pass resumes where it stopped and a second run of
    it at the same time stops at its first batch instead of doing everything twice."""

    class Phase(models.TextChoices):
        INDEX = "index", "Repairing the text index"
        LISTS = "lists", "Recomputing the lists"
        DONE = "done", "Done"

    phase = models.CharField(max_length=5, choices=Phase.choices, default=Phase.DONE)
    after_id = models.PositiveIntegerField(
        default=0, help_text="The last article done in the current phase."
    )
    after_time = models.DateTimeField(
        null=True, help_text="Its publication time: the lists phase goes in publication order."
    )
    started_at = models.DateTimeField(null=True)
    updated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="one_related_pass")]

    def __str__(self) -> str:
        return f"Related pass: {self.phase} after {self.after_id}"


class StoryChooser(AdminPageChooser):
    """The page chooser for picking another article, in the newsroom's words."""

    def __init__(self, **kwargs):
        super().__init__(target_models=["news.ArticlePage"], **kwargs)
        # Wagtail appends the page type to its own text: "Choose a page (Article)".
        self.choose_one_text = "Choose a story"
        self.choose_another_text = "Choose another story"
        self.link_to_chosen_text = "Edit this story"


class RelatedPin(Orderable):
    page = ParentalKey("news.ArticlePage", on_delete=models.CASCADE, related_name="related_pins")
    related = models.ForeignKey(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="story",
        help_text="Shown first under “Continue reading” while it is published.",
    )

    panels = [FieldPanel("related", widget=StoryChooser)]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "related"], name="unique_related_pin")
        ]

    def __str__(self) -> str:
        return f"Pin {self.related_id} under {self.page_id}"


class RelatedExclusion(Orderable):
    page = ParentalKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="related_exclusions"
    )
    related = models.ForeignKey(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="story",
        help_text="Never suggested under this story.",
    )

    panels = [FieldPanel("related", widget=StoryChooser)]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "related"], name="unique_related_exclusion")
        ]

    def __str__(self) -> str:
        return f"Never suggest {self.related_id} under {self.page_id}"
