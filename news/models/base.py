"""What every page readers see shares: the page-cache policy, cached view restrictions and one
meta description.

A mixin listed before the page's other mixins and `Page` (not an abstract `Page` subclass):
its `serve` must wrap those of `FrontMixin` and `RoutablePageMixin`, whose routes would
otherwise bypass the cache policy, so it has to come first in the method order.
"""

from django.utils.html import strip_tags

from wagtail.fields import RichTextField

from delivery.caching import PageCachePolicyMixin
from delivery.view_restrictions import CachedViewRestrictionsMixin


class NewsPage(PageCachePolicyMixin, CachedViewRestrictionsMixin):
    """A reader page. `description_field` names the field that describes the page when an
    editor has written no search description (empty: the search description only)."""

    description_field: str = ""

    @property
    def meta_description(self) -> str:
        if self.search_description or not self.description_field:
            return self.search_description
        text = getattr(self, self.description_field)
        if isinstance(self._meta.get_field(self.description_field), RichTextField):
            return strip_tags(text)
        return text
