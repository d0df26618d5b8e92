from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from accounts import second_factor

# Admin views a password-only session may open: signing in and out, and the second factor.
OPEN_ADMIN_VIEWS = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "accounts_two_factor_verify",
    "accounts_two_factor_setup",
}


class SecondFactorRequiredMiddleware:
    """Send a signed-in user who has not passed the second factor to it, from any admin URL.

    Goes after django-otp's OTPMiddleware. Off when ADMIN_REQUIRE_2FA is off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith(reverse("wagtailadmin_home")):
            return None
        match = request.resolver_match
        if match and match.url_name in OPEN_ADMIN_VIEWS:
            return None
        if not second_factor.is_required(request):
            return None
        name = (
            "accounts_two_factor_verify"
            if second_factor.confirmed_device(request.user)
            else "accounts_two_factor_setup"
        )
        query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        return redirect(f"{reverse(name)}?{query}" if query else reverse(name))
