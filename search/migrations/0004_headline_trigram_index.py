from django.db import migrations


class Migration(migrations.Migration):
    """A trigram index on page titles for the "did you mean" headlines of a search that finds
    nothing (`title %> query`, word similarity). Without it PostgreSQL compared the query with
    every title: 444 ms at 100,000 articles, on every empty-result search; with it, a bitmap
    scan over the few titles sharing trigrams with the query (EXPLAIN ANALYZE: 25 ms cold,
    a few ms warm). Built CONCURRENTLY, so adding it does not block publishing; no pending
    list (see 0003), since titles change only when an editor saves a page.
    """

    atomic = False

    dependencies = [
        ("search", "0003_gin_indexes_without_pending_list"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        # pg_trgm prices `%>` (word_similarity_commutator_op, ~15 µs a row) like an integer
        # comparison, so with fresh statistics the planner preferred comparing the query with
        # every title (a parallel scan, 550 ms) over this index (50 ms). COST 100 is its real
        # price relative to a comparison. Only the extension's owner may change it; anyone
        # else keeps the default and gets the scan.
        migrations.RunSQL(
            """
            DO $$ BEGIN
              ALTER FUNCTION word_similarity_commutator_op(text, text) COST 100;
            EXCEPTION WHEN insufficient_privilege THEN
              RAISE NOTICE 'pg_trgm belongs to another role: word similarity keeps its cost';
            END $$
            """,
            """
            DO $$ BEGIN
              ALTER FUNCTION word_similarity_commutator_op(text, text) COST 1;
            EXCEPTION WHEN insufficient_privilege THEN NULL;
            END $$
            """,
        ),
        migrations.RunSQL(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS search_page_title_trgm "
            "ON wagtailcore_page USING gin (title gin_trgm_ops) WITH (fastupdate = off)",
            "DROP INDEX CONCURRENTLY IF EXISTS search_page_title_trgm",
        ),
    ]
