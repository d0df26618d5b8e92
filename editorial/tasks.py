from datetime import datetime

from celery import shared_task

from editorial import followups, notifications
from editorial.scheduling import run_schedule


@shared_task(name="editorial.publish_scheduled_pages")
def publish_scheduled_pages() -> None:
    """Beat's every-two-seconds tick. Idempotent and safe to run twice at once (row locks)."""
    run_schedule()


@shared_task(name="editorial.send_notification")
def send_notification(event: str, object_id: int, user_id: int | None, key: str) -> None:
    """Email one workflow or publication event; `key` makes a redelivery send nothing."""
    notifications.send(event, object_id, user_id, key)


@shared_task(name="editorial.confirm_publish_follow_ups")
def confirm_publish_follow_ups(page_id: int, recorded_at: str) -> None:
    """Enqueued with a publication's follow-up work: the broker has it, drop the marker."""
    followups.confirm(page_id=page_id, recorded_at=datetime.fromisoformat(recorded_at))


@shared_task(name="editorial.reconcile_publish_follow_ups")
def reconcile_publish_follow_ups() -> None:
    """Beat, every minute: redo the follow-up work of publications the broker lost."""
    followups.reconcile()
