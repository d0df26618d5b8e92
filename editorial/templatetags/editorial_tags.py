from django import template

from editorial.checklist import missing_items
from news.models import ArticlePage

register = template.Library()


@register.simple_tag
def publication_checklist(page) -> list[str]:
    """What the latest revision of `page` still lacks before publication."""
    article = page.specific.get_latest_revision_as_object()
    return missing_items(article) if isinstance(article, ArticlePage) else []


@register.simple_tag
def page_types_for(user, parent_page, page_types) -> list[tuple]:
    """The add-subpage choices `user` may take (writers are not offered a new section)."""
    from django.apps import apps

    from editorial.new_story import may_create

    return [
        page_type
        for page_type in page_types
        if may_create(
            user, parent=parent_page, page_model=apps.get_model(page_type[1], page_type[2])
        )
    ]


@register.simple_tag
def newsroom_name() -> str:
    from django.conf import settings

    return settings.WAGTAIL_SITE_NAME
