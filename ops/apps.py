from django.apps import AppConfig
from django.core.checks import Tags, register


class OpsConfig(AppConfig):
    """Running Masthead: health endpoints, reader-replica routing, the raw Redis client for
    counters and rate limits, and the supported-versions check of its servers."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from celery.signals import worker_init

        from ops import versions

        register(versions.check_service_versions, Tags.database)
        worker_init.connect(versions.refuse_unsupported_services, dispatch_uid="ops.versions")
