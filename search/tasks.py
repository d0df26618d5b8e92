from celery import shared_task

from search.indexing import update_article_index
from search.querylog import flush_query_hits


@shared_task(name="search.flush_query_hits")
def flush_query_hits_task() -> int:
    return flush_query_hits()


@shared_task(name="search.update_article_index")
def update_article_index_task(article_id: int) -> None:
    update_article_index(article_id)
