from celery import shared_task

from readership.counting import flush_views


@shared_task(name="readership.flush_views")
def flush_view_buffer() -> None:
    """Move buffered views from Redis into PostgreSQL (idempotent; see counting.apply_batch)."""
    flush_views()
