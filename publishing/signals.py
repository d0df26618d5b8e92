"""Signal receivers, wired in PublishingConfig.ready(): each publication runs the pipeline."""

from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from publishing import recovery, tasks
from publishing.pipeline import Publication, follow_up


@receiver(page_published)
def follow_up_publish(sender, instance, **kwargs):
    follow_up(Publication(page=instance, live=True))
    # After the steps: the broker takes the confirmation only behind every message above.
    if recovery.is_recoverable(instance):
        recorded_at = recovery.record(page_id=instance.pk)
        tasks.confirm_publish_follow_ups.delay_on_commit(instance.pk, recorded_at.isoformat())


@receiver(page_unpublished)
def follow_up_unpublish(sender, instance, **kwargs):
    follow_up(Publication(page=instance, live=False))
