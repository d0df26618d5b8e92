from celery import shared_task

from planning.reminders import run_reminders


@shared_task(name="planning.send_reminders")
def send_reminders() -> None:
    """Beat's tick: due-soon and overdue reminders, once each (row claims; safe twice at once)."""
    run_reminders()
