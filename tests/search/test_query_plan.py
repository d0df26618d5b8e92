"""The search page's query is planned on the indexes of migration search.0002.

If a Wagtail upgrade changes the index table or the tsquery it builds, these fail before the
site slows down.
"""

from django.db import connection

import pytest

from search.query import ArticleFilters, clean_query, search_articles

pytestmark = pytest.mark.django_db

OBJECT_KEY = '"page_ptr_id")::varchar(50)'
MATCH = '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@'


def explain(sql, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_hashjoin = off")
        # Plan as for a newsroom's archive, not the test's handful of rows: on a near-empty table
        # PostgreSQL (18 more than 15) may as well scan a whole small index as look one entry up.
        # The test runs in a transaction, so the planner statistics are put back after it.
        cursor.execute(
            "UPDATE pg_class SET reltuples = 1000000, relpages = 1"
            " WHERE relname IN ('news_articlepage', 'wagtailsearch_indexentry')"
        )
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_ranking_runs_on_the_index_table_with_the_indexed_expressions(publish):
    publish("Harbour bridge reopens")
    results = search_articles(clean_query("harbour bridge"), ArticleFilters())
    sql, _ = results._entries[:20].values("article_id").query.sql_with_params()

    assert 'FROM "wagtailsearch_indexentry"' in sql
    assert MATCH in sql
    assert OBJECT_KEY in sql
    assert "search_indexentry_document_gin" in explain(
        "SELECT id FROM wagtailsearch_indexentry "
        "WHERE (title || body) @@ to_tsquery('english', 'harbour')"
    )
    assert "search_articlepage_object_id" in explain(
        "SELECT 1 FROM news_articlepage WHERE (\"page_ptr_id\")::varchar(50) = '1'"
    )
