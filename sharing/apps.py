from django.apps import AppConfig


class SharingConfig(AppConfig):
    """Share links: a draft read by someone without a staff account (a lawyer, a source checking
    quotes, a partner newsroom), through a secret, expiring, revocable, audited link to one page,
    with an optional comment box whose comments reach the editors as Wagtail admin comments."""

    name = "sharing"
    verbose_name = "Share links"
    default_auto_field = "django.db.models.BigAutoField"
