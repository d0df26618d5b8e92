"""The live sections (news sections and the staff index), ready to route through, from the
shared cache.

An article's URL passes through one or two sections, and routing loaded each with a query
on every uncached render. Sections change a few times a year, so all live ones are kept in
the cache, keyed by their parent's tree path and their slug, and handed out fresh (unpickled)
to each request. A section that is not there (a draft, a new one not yet cached) is routed
by Wagtail as before. The entry is dropped when a section is saved, deleted, published,
unpublished or any page is moved, at once and again after commit (so a reader that loaded
the old rows just before the commit cannot store them), and lives at most `LIFETIME`
seconds anyway.
"""

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest

from wagtail.models import Page

CACHE_KEY_PREFIX = "news-sections:"
LIFETIME = 300


def section_models() -> tuple[type[Page], ...]:
    from news.models import NewsIndexPage, StaffIndexPage

    return (NewsIndexPage, StaffIndexPage)


def is_section(instance) -> bool:
    """A section, whether saved as its own class or as a plain `Page`."""
    if not isinstance(instance, Page):
        return False
    return issubclass(instance.specific_class or type(instance), section_models())


def _cache_key(model: type[Page]) -> str:
    return CACHE_KEY_PREFIX + model._meta.label_lower


def live_sections(request: HttpRequest, model: type[Page]) -> dict[tuple[str, str], Page]:
    """The live sections of one type by (parent path, slug), read once per request; one
    entry per type, so a route that never reaches the staff index never loads it."""
    per_request = request.__dict__.setdefault("_news_sections", {})
    if model not in per_request:
        known = cache.get(_cache_key(model))
        if known is None:
            known = {
                (section.path[: -Page.steplen], section.slug): section
                for section in model.objects.live()
            }
            cache.set(_cache_key(model), known, timeout=LIFETIME)
        per_request[model] = known
    return per_request[model]


def live_section(request: HttpRequest, parent: Page, slug: str, model: type[Page]) -> Page | None:
    return live_sections(request, model).get((parent.path, slug))


def forget_sections() -> None:
    keys = [_cache_key(model) for model in section_models()]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))
