"""The recovery's two tasks. Their names predate this app (they lived in editorial): beat and
messages already queued address them by name, and `editorial.*` routes them to realtime."""

from datetime import datetime

from celery import shared_task

from publishing import recovery


@shared_task(name="editorial.confirm_publish_follow_ups")
def confirm_publish_follow_ups(page_id: int, recorded_at: str) -> None:
    """Enqueued after a publication's follow-up work: the broker has it, drop the marker."""
    recovery.confirm(page_id=page_id, recorded_at=datetime.fromisoformat(recorded_at))


@shared_task(name="editorial.reconcile_publish_follow_ups")
def reconcile_publish_follow_ups() -> None:
    """Beat, every minute: redo the follow-up work of publications the broker lost."""
    recovery.reconcile()
