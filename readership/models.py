"""What anonymous readers send us: views (flushed from Redis), reactions and comments."""

from django.db import models
from django.db.models import Count
from django.utils import timezone

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from news.purging import purge_article_page


class ViewFlushBatch(models.Model):
    """One Redis batch of buffered views, applied to PostgreSQL exactly once.

    The row is written in the same transaction as the counts, so a retried flush that finds
    its batch id here knows the counts are already in and only deletes the Redis key.
    """

    batch_id = models.CharField(max_length=64, unique=True)
    day = models.DateField()
    articles = models.PositiveIntegerField()
    views = models.PositiveBigIntegerField()
    applied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-applied_at"]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.views} views on {self.articles} articles"


class ArticleTotalViews(models.Model):
    """An article's all-time views: one row per article, kept off the revisioned page (its
    revisions would copy the count and a publish could roll it back). Only the view flush
    writes it, with set-based increments (readership/counting.py)."""

    article = models.OneToOneField(
        "news.ArticlePage",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="total_views",
    )
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "article total views"

    def __str__(self) -> str:
        return f"{self.article_id}: {self.views}"


class ArticleDailyViews(models.Model):
    """Views of one article on one day, for most-read windows."""

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="daily_views"
    )
    day = models.DateField()
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="unique_article_views_per_day")
        ]
        indexes = [models.Index(fields=["day", "article"], name="article_views_by_day")]
        verbose_name_plural = "article daily views"

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.views}"


class Reaction(models.Model):
    """One visitor's verdict on one article; a second vote changes the first."""

    class Kind(models.TextChoices):
        INFORMATIVE = "informative", "Informative"
        NOT_INFORMATIVE = "not_informative", "Not informative"
        WANT_MORE = "want_more", "I want more"

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="reactions"
    )
    # A keyed hash of a random cookie: identifies "the same browser", never a person.
    visitor = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "visitor"], name="one_reaction_per_visitor")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.article_id}"


def reaction_counts(article_id: int) -> dict[str, int]:
    """Votes per reaction kind for one article, every kind present (zero when none)."""
    totals = dict(
        Reaction.objects.filter(article_id=article_id)
        .values_list("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return {kind: totals.get(kind, 0) for kind in Reaction.Kind.values}


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)

    def for_article(self, article_id: int, *, oldest_first: bool = False):
        """Approved top-level comments of an article, with their approved replies."""
        order = ("created_at", "pk") if oldest_first else ("-created_at", "-pk")
        replies = models.Prefetch(
            "replies", queryset=Comment.objects.approved().order_by("created_at", "pk")
        )
        return (
            self.approved()
            .filter(article_id=article_id, parent__isnull=True)
            .order_by(*order)
            .prefetch_related(replies)
        )


class Comment(index.Indexed, models.Model):
    """A reader's comment: plain text, shown only once a moderator approves it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    NAME_MAX = 80
    BODY_MAX = 3000

    article = models.ForeignKey(
        "news.ArticlePage", on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
        help_text="The comment this one answers; replies are one level deep.",
    )
    name = models.CharField(max_length=NAME_MAX)
    email = models.EmailField(blank=True, help_text="Never shown to readers.")
    body = models.TextField(max_length=BODY_MAX)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CommentQuerySet.as_manager()

    panels = [FieldPanel("status"), FieldPanel("name"), FieldPanel("email"), FieldPanel("body")]
    search_fields = [
        index.SearchField("body"),
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["article", "status", "created_at"])]
        permissions = [("skip_comment_moderation", "Can publish comments without moderation")]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:60]}"

    def moderate(self, status: str, *, user=None) -> None:
        self.status = status
        self.moderated_at = timezone.now()
        self.moderated_by = user
        self.save(update_fields=["status", "moderated_at", "moderated_by"])
        purge_article_page(self.article_id)

    @classmethod
    def moderate_many(cls, ids, status: str, *, user=None) -> int:
        comments = cls.objects.filter(pk__in=ids)
        article_ids = set(comments.values_list("article_id", flat=True))
        changed = comments.update(status=status, moderated_at=timezone.now(), moderated_by=user)
        # A comment that appears or disappears changes its article's cached page.
        for article_id in article_ids:
            purge_article_page(article_id)
        return changed
