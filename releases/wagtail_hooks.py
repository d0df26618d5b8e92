from wagtail.snippets.models import register_snippet

from releases.viewsets import ReleaseBundleViewSet

register_snippet(ReleaseBundleViewSet)
