from datetime import datetime

from celery import shared_task

from editorial import notifications
from editorial.scheduling import run_schedule


@shared_task(name="editorial.publish_scheduled_pages")
def publish_scheduled_pages() -> None:
    """Beat's every-two-seconds tick. Idempotent and safe to run twice at once (row locks)."""
    run_schedule()


@shared_task(name="editorial.send_notification")
def send_notification(event: str, object_id: int, user_id: int | None, key: str) -> None:
    """Email one workflow or publication event; `key` makes a redelivery send nothing."""
    notifications.send(event, object_id, user_id, key)


@shared_task(name="editorial.send_publication_emails")
def send_publication_emails(page_id: int, since: str) -> None:
    """Email the page's publications logged since `since` (ISO time), each once."""
    notifications.send_publication_emails(page_id=page_id, since=datetime.fromisoformat(since))
