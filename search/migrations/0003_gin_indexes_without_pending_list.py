from django.db import migrations

# The GIN indexes the search page and autocomplete read (ours on `title || body`, Wagtail's
# on `autocomplete`). With GIN's default `fastupdate`, new entries wait in a pending list
# that every query scans in full, up to gin_pending_list_limit (4 MB, ~512 pages), until a
# vacuum merges it: a one-word query for a rare word read 516 pages instead of a handful
# (EXPLAIN ANALYZE, BUFFERS at 10,000 articles after a rebuild). Index writes now happen on
# the Celery worker, so paying for the GIN update at insert time costs readers nothing.
GIN_INDEXES = ("search_indexentry_document_gin", "wagtailsear_autocom_476c89_gin")


def without_pending_list(index: str) -> str:
    return f"ALTER INDEX {index} SET (fastupdate = off); SELECT gin_clean_pending_list('{index}')"


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_search_join_indexes"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [
        migrations.RunSQL(without_pending_list(index), f"ALTER INDEX {index} RESET (fastupdate)")
        for index in GIN_INDEXES
    ]
