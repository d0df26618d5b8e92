"""Signal receivers: one line each, wired in NewsConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from news.models import BreakingNews
from news.purging import purge_front_page, purge_pages_showing


@receiver(page_published)
def purge_on_publish(sender, instance, **kwargs):
    purge_pages_showing(instance)


@receiver(page_unpublished)
def purge_on_unpublish(sender, instance, **kwargs):
    purge_pages_showing(instance)


@receiver([post_save, post_delete], sender=BreakingNews)
def purge_on_breaking_news(sender, instance, **kwargs):
    purge_front_page()
