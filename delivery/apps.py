from django.apps import AppConfig
from django.core.checks import Tags, register


class DeliveryConfig(AppConfig):
    """Anonymous delivery: the page cache, purges (ours and the CDN's), every cached lookup of
    Wagtail data, and all their invalidation."""

    name = "delivery"
    verbose_name = "Delivery"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from delivery import sites

        register(sites.check_site_origin, Tags.database, deploy=True)
        register(sites.check_public_base_url_is_set, Tags.security, deploy=True)
