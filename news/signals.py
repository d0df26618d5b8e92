"""Keep "Continue reading" in step with publishing: wired in NewsConfig.ready()."""

from news import related, tasks


def refresh_related_on_publish(sender, instance, **kwargs):
    tasks.refresh_related.delay_on_commit(instance.pk)


def withdraw_related_on_unpublish(sender, instance, **kwargs):
    tasks.recompute_related_lists.delay_on_commit(related.withdraw_article(article_id=instance.pk))


def withdraw_related_on_restriction(sender, instance, **kwargs):
    tasks.recompute_related_lists.delay_on_commit(
        related.withdraw_section(page_id=instance.page_id)
    )


def refresh_related_on_restriction_lifted(sender, instance, **kwargs):
    tasks.refresh_related_articles.delay_on_commit(
        related.published_under(page_id=instance.page_id)
    )
