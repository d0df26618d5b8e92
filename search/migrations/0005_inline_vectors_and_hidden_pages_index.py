from django.db import migrations

VECTORS = ("title", "body", "autocomplete")
RETOAST_BATCH = 5000


def keep_vectors_inline(apps, schema_editor):
    """Rewrite the vectors of existing entries so that the new storage applies to them (it
    applies to rows written after it); in batches, so no long lock is held."""
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM wagtailsearch_indexentry")
        (last,) = cursor.fetchone()
        for start in range(0, last + 1, RETOAST_BATCH):
            cursor.execute(
                "UPDATE wagtailsearch_indexentry SET "
                + ", ".join(f"{column} = {column} || ''::tsvector" for column in VECTORS)
                + " WHERE id >= %s AND id < %s",
                [start, start + RETOAST_BATCH],
            )


class Migration(migrations.Migration):
    """Two changes found with EXPLAIN (ANALYZE, BUFFERS) at 100,000 articles (bench/search.py).

    1. Each index entry also holds the raw text (`title_text`, `body_text`), which pushes
       rows past PostgreSQL's 2 kB TOAST threshold; the toaster then moved the `body`
       vector out of line, and every row a search ranked cost ~3 extra buffer reads per use
       of the vector (616,000 buffers for one common word). STORAGE MAIN keeps the vectors
       in the row and lets the raw text go out of line instead (body @@ query over every
       entry: 349 → 137 ms).
    2. A partial index on the pages readers may not see (drafts, pages with an expiry
       time), which `ArticlePageQuerySet.hidden()` reads to exclude them from search
       (search.query.visible_entries): an index scan over a handful of rows instead of a
       scan of the page table.
    """

    atomic = False

    dependencies = [
        ("search", "0004_headline_trigram_index"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE wagtailsearch_indexentry "
            + ", ".join(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in VECTORS),
            "ALTER TABLE wagtailsearch_indexentry "
            + ", ".join(f"ALTER COLUMN {column} SET STORAGE EXTENDED" for column in VECTORS),
        ),
        migrations.RunPython(keep_vectors_inline, migrations.RunPython.noop, elidable=True),
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_page_hidden ON wagtailcore_page "
            "(id) WHERE NOT live OR expire_at IS NOT NULL",
            "DROP INDEX CONCURRENTLY IF EXISTS search_page_hidden",
        ),
    ]
