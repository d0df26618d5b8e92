"""Signal receivers: one line each, connected in EditorialConfig.ready()."""

from django.dispatch import receiver

from wagtail.signals import page_published

from editorial import followups
from news.models import ArticlePage


@receiver(page_published, sender=ArticlePage)
def record_publish_follow_up(sender, instance, **kwargs):
    followups.record(instance)
