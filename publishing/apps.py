from django.apps import AppConfig


class PublishingConfig(AppConfig):
    """What follows a publish or unpublish: every step listed once (`pipeline.STEPS`), run by
    the publish receivers and again by the broker-outage recovery."""

    name = "publishing"
    verbose_name = "Publishing"

    def ready(self):
        from publishing import signals  # noqa: F401 - connects the receivers
