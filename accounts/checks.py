from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_enforced(app_configs, **kwargs):
    if settings.ADMIN_REQUIRE_2FA:
        return []
    return [
        Warning(
            "Staff can sign in to the admin with a password alone.",
            hint="Set ADMIN_REQUIRE_2FA=1 (the default) in production.",
            id="accounts.W001",
        )
    ]
