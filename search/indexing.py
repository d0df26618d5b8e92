"""Keeping the search index current: one article after its commit, or everything in batches
while the site keeps serving the current index."""

from collections.abc import Iterator

from django.contrib.contenttypes.models import ContentType
from django.db import models

from wagtail.search import index
from wagtail.search.backends import get_search_backend
from wagtail.search.models import IndexEntry

from news.models import ArticlePage, StaffProfilePage

DEFAULT_MODELS: tuple[type[models.Model], ...] = (ArticlePage, StaffProfilePage)


def _nested_prefetches(model: type[models.Model]) -> list[str]:
    """`outer__inner` paths for RelatedFields inside RelatedFields (e.g. bylines → profile),
    which Wagtail's own `select_on_queryset` leaves to one query per object."""
    paths = []
    for field in model.get_search_fields():
        if isinstance(field, index.RelatedFields):
            paths += [
                f"{field.field_name}__{sub.field_name}"
                for sub in field.fields
                if isinstance(sub, index.RelatedFields)
            ]
    return paths


def reindex_in_batches(model: type[models.Model], *, batch_size: int = 500) -> Iterator[int]:
    """Upsert every indexable `model` object into the index, `batch_size` at a time, in
    primary-key order (keyset pagination: each batch is one cheap indexed query however far
    in). Entries of deleted objects are dropped first. Yields the running count.

    Not one big transaction: each batch commits on its own, so readers keep searching the
    existing entries meanwhile and an interrupted rebuild can simply be run again.
    """
    backend = get_search_backend()
    search_index = backend.get_index_for_model(model)
    search_index.delete_stale_model_entries(model)
    queryset = model.get_indexed_objects().prefetch_related(*_nested_prefetches(model))
    for field in model.get_search_fields():
        if isinstance(field, index.RelatedFields):
            queryset = field.select_on_queryset(queryset)
    done, last_pk = 0, None
    while True:
        page = queryset.order_by("pk")
        if last_pk is not None:
            page = page.filter(pk__gt=last_pk)
        batch = list(page[:batch_size])
        if not batch:
            return
        search_index.add_items(model, batch)
        done += len(batch)
        last_pk = batch[-1].pk
        yield done


# Saves that change only Wagtail's bookkeeping (save_revision, locking) leave
# every indexed field as it was: the page row holds the live content, not the draft.
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
        "numchild",
    }
)


def save_changes_index(update_fields) -> bool:
    """Whether a save with these `update_fields` (None: every field) may change the index."""
    return update_fields is None or not set(update_fields) <= BOOKKEEPING_FIELDS


def update_article_index(article_id: int) -> None:
    """Bring one article's index entry in line with the database: upserted while the page
    exists (drafts too: editors search them in the admin), dropped once it is gone.
    Idempotent; readers' visibility (live, public, unexpired) is checked at query time."""
    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        drop_article_entry(article_id)
    else:
        index.insert_or_update_object(article)


def drop_article_entry(article_id: int) -> None:
    """Remove a deleted article's entry (one indexed DELETE, cheap enough for the request)."""
    IndexEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ArticlePage), object_id=str(article_id)
    ).delete()
