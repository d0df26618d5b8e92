from celery import shared_task

from editorial.scheduling import run_schedule


@shared_task(name="editorial.publish_scheduled_pages")
def publish_scheduled_pages() -> None:
    """Beat's every-two-seconds tick. Idempotent and safe to run twice at once (row locks)."""
    run_schedule()
