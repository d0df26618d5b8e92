import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import mark_safe

from news import navigation, sites, view_restrictions

register = template.Library()


@register.filter
def ld_json(data) -> str:
    """A `<script type="application/ld+json">` data block, escaped as `json_script` does.

    `<`, `>` and `&` become `\\u003C`, `\\u003E`, `\\u0026`, so no value can close the element.
    The type makes it data, which a strict script-src does not block.
    """
    payload = json.dumps(data, cls=DjangoJSONEncoder).translate(_json_script_escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def all_news_index(context):
    """The top news section ("All news"), looked up once per request."""
    from news.models import NewsIndexPage

    request = context.get("request")
    if request is None:
        return NewsIndexPage.objects.live().public().filter(depth=3).first()
    if not hasattr(request, "_all_news_index"):
        # Article, home and section pages have usually loaded it already.
        loaded = [context.get("news_index"), context.get("page")]
        shown = next(
            (p for p in loaded if isinstance(p, NewsIndexPage) and p.depth == 3 and p.live), None
        )
        if shown is None:
            shown = NewsIndexPage.objects.live().public().filter(depth=3).first()
        elif view_restrictions.may_be_restricted(shown):
            shown = NewsIndexPage.objects.live().public().filter(pk=shown.pk).first()
        request._all_news_index = shown
    return request._all_news_index


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """`url` made absolute on the site's origin (media URLs are relative)."""
    request = context.get("request")
    if request is None:
        return url
    return sites.absolute_url(request, url)


@register.simple_tag(takes_context=True)
def header_links(context) -> list[navigation.MenuLink]:
    """The header's sections, the one holding the page shown marked current."""
    return navigation.header_links(context.get("request"), current=context.get("page"))
