from celery import shared_task

from releases import release


@shared_task(name="releases.release_due_bundles")
def release_due_bundles() -> None:
    """Beat's every-two-seconds tick. Idempotent and safe to run twice at once (row locks)."""
    release.release_due_bundles()


@shared_task(name="releases.notify_desk_of_release")
def notify_desk_of_release(bundle_id: int) -> None:
    """Enqueued after a release (or refusal) commits; sends its email once."""
    release.notify_desk(bundle_id)
