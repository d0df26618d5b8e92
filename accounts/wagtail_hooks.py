from django.urls import path

from wagtail import hooks

from accounts import views


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    # Under /admin/, so Wagtail's admin-access check, never_cache and the admin CSP apply.
    return [
        path("two-factor/", views.verify, name="accounts_two_factor_verify"),
        path("two-factor/setup/", views.setup, name="accounts_two_factor_setup"),
    ]
