"""Rebuilding the search index in batches, while the site keeps serving the current one."""

from collections.abc import Iterator

from django.db import models

from wagtail.search import index
from wagtail.search.backends import get_search_backend

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
