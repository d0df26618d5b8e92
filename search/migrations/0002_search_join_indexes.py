from django.db import migrations


class Migration(migrations.Migration):
    """Indexes that fit the query Wagtail's PostgreSQL backend sends (found with EXPLAIN at
    100,000 articles; see bench/search.py).

    1. It filters on `(title || body) @@ query`, while the backend only indexes `title` and
       `body` separately, so every index entry of the model was read and tested. A GIN index
       on that very expression turns the filter into a bitmap index scan.
    2. It joins entries to pages on `page_ptr_id::varchar(50) = object_id` (object ids are
       text), which no index serves, so PostgreSQL joined all 100,000 articles to find the
       few that matched. An index on that expression lets it go from each match to its page.

    Built CONCURRENTLY: adding them to a live newsroom does not block publishing.
    """

    atomic = False

    dependencies = [
        ("search", "0001_trigram_extension"),
        ("wagtailsearch", "0010_add_text_fields"),
        ("news", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_indexentry_document_gin "
            "ON wagtailsearch_indexentry USING gin ((title || body))",
            "DROP INDEX CONCURRENTLY IF EXISTS search_indexentry_document_gin",
        ),
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_articlepage_object_id "
            "ON news_articlepage (((page_ptr_id)::varchar(50)))",
            "DROP INDEX CONCURRENTLY IF EXISTS search_articlepage_object_id",
        ),
    ]
