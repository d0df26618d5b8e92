from celery import shared_task

from search.querylog import flush_query_hits


@shared_task(name="search.flush_query_hits")
def flush_query_hits_task() -> int:
    return flush_query_hits()
