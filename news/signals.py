"""Signal receivers: one line each, wired in NewsConfig.ready().

What follows a publish or unpublish (purges, listing counts, sections, related lists) is the
publication pipeline's (publishing/pipeline.py); these follow saves, moves and restrictions.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import post_page_move

from news import listing_counts, navigation, related, sections, sites, tasks, view_restrictions
from news.models import BreakingNews
from news.purging import purge_front_page, purge_restriction_change


# The cache-forgetting receivers come first: Django calls receivers in the order they connect,
# and their after-commit work must run before the tasks enqueued below read those caches.
@receiver([post_save, post_delete], sender=PageViewRestriction)
def forget_restrictions_on_change(sender, instance, **kwargs):
    view_restrictions.forget_guarded_paths()


@receiver([post_save, post_delete], sender=PageViewRestriction)
def recount_listings_on_restriction(sender, instance, **kwargs):
    listing_counts.start_new_generation()


@receiver(post_page_move)
def forget_restrictions_on_move(sender, instance, **kwargs):
    view_restrictions.forget_guarded_paths()


@receiver(post_page_move)
def recount_listings_on_move(sender, instance, **kwargs):
    listing_counts.start_new_generation()


@receiver(post_save)
def forget_restrictions_on_alias(sender, instance, **kwargs):
    if isinstance(instance, Page) and instance.alias_of_id:
        view_restrictions.forget_guarded_paths()


@receiver([post_save, post_delete], sender=Site)
def forget_sites_on_change(sender, instance, **kwargs):
    sites.forget_sites()


@receiver([post_save, post_delete])
def forget_sites_on_root_page_change(sender, instance, **kwargs):
    if isinstance(instance, Page) and sites.is_site_root(instance):
        sites.forget_sites()


@receiver(post_page_move)
def forget_sites_on_move(sender, instance, **kwargs):
    sites.forget_sites()


@receiver([post_save, post_delete])
def forget_sections_on_change(sender, instance, **kwargs):
    if sections.is_section(instance):
        sections.forget_sections()


@receiver(post_page_move)
def forget_sections_on_move(sender, instance, **kwargs):
    sections.forget_sections()


@receiver([post_save, post_delete])
def forget_menu_on_change(sender, instance, **kwargs):
    if isinstance(instance, Page) and navigation.may_change_menu(instance):
        navigation.forget_menu()


@receiver(post_page_move)
def forget_menu_on_move(sender, instance, **kwargs):
    navigation.forget_menu()


@receiver([post_save, post_delete], sender=Site)
def forget_menu_on_site_change(sender, instance, **kwargs):
    navigation.forget_menu()


@receiver([post_save, post_delete], sender=BreakingNews)
def purge_on_breaking_news(sender, instance, **kwargs):
    purge_front_page()


@receiver([post_save, post_delete], sender=PageViewRestriction)
def purge_on_restriction_change(sender, instance, **kwargs):
    purge_restriction_change(instance.page_id)


@receiver(post_save, sender=PageViewRestriction)
def withdraw_related_on_restriction(sender, instance, **kwargs):
    tasks.recompute_related_lists.delay_on_commit(
        related.withdraw_section(page_id=instance.page_id)
    )


@receiver(post_delete, sender=PageViewRestriction)
def refresh_related_on_restriction_lifted(sender, instance, **kwargs):
    tasks.refresh_related_under.delay_on_commit(instance.page_id)
