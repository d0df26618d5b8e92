"""Live coverage: a live page whose entries are posted one by one from a coverage desk, read by
readers through a small update endpoint that the shared page cache and a CDN carry."""

from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "live"
    verbose_name = "Live coverage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from live.models import LivePage

        # Wagtail builds a routable page's URL resolver on first use and stores it on the class;
        # threads of one worker doing so at once can fail with "dictionary changed size during
        # iteration" (seen as a 500 on the first polls of a spike, bench/live.py). Build it now.
        LivePage.get_resolver()
