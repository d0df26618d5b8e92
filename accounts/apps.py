from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff sign-in: the login, the second factor and the lockout in front of the admin."""

    name = "accounts"
    verbose_name = "Staff sign-in"

    def ready(self):
        from accounts import checks  # noqa: F401 - registers the deploy check
