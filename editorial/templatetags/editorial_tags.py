from django import template

from editorial.checklist import missing_items

register = template.Library()


@register.simple_tag
def publication_checklist(page) -> list[str]:
    """What the latest revision of `page` still lacks before publication."""
    article = page.specific.get_latest_revision_as_object()
    return missing_items(article) if hasattr(article, "dek") else []
