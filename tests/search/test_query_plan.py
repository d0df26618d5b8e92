"""The expression indexes of migration search.0002 match the SQL Wagtail's backend sends.

If a Wagtail upgrade changes the query's shape, these fail before the site slows down.
"""

from django.db import connection

import pytest

from search.query import ArticleFilters, clean_query, search_articles

pytestmark = pytest.mark.django_db

MATCH = '("wagtailsearch_indexentry"."title" || "wagtailsearch_indexentry"."body") @@'


def explain(sql, params=()) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_hashjoin = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_match_filter_and_join_use_the_expression_indexes(publish):
    publish("Harbour bridge reopens")
    results = search_articles(clean_query("harbour bridge"), ArticleFilters())
    sql, params = results[:20].get_queryset().query.sql_with_params()

    assert MATCH in sql
    assert "search_indexentry_document_gin" in explain(
        "SELECT id FROM wagtailsearch_indexentry "
        "WHERE (title || body) @@ to_tsquery('english', 'harbour')"
    )
    assert "search_articlepage_object_id" in explain(sql, params)
