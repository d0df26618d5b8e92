from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    """Release bundles: pages approved to go public together, published at one moment in one
    transaction, exactly once, or not at all."""

    name = "releases"
    verbose_name = "Releases"
