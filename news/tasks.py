from celery import shared_task
from django_redis.exceptions import ConnectionInterrupted

from news.purging import PurgeFailed, delete_cached_paths, purge_frontend_cache


@shared_task(
    name="news.purge_cached_paths",
    autoretry_for=(PurgeFailed, ConnectionInterrupted),
    retry_backoff=2,
    retry_backoff_max=120,
    max_retries=8,
)
def purge_cached_paths(paths: list[str], root_url: str) -> None:
    """Delete the paths from the page cache, then from any CDN. Idempotent; retried on failure."""
    delete_cached_paths(paths)
    purge_frontend_cache(paths, root_url)
