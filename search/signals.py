"""Signal receivers: one line each, wired in SearchConfig.ready()."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from news.models import ArticlePage
from search import indexing, tasks


@receiver(post_save, sender=ArticlePage)
def reindex_article_after_commit(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and indexing.save_changes_index(update_fields):
        tasks.update_article_index_task.delay_on_commit(instance.pk)


@receiver(post_delete, sender=ArticlePage)
def drop_deleted_article_from_index(sender, instance, **kwargs):
    indexing.drop_article_entry(instance.pk)
