from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from wagtail.admin.views.account import LogoutView

from accounts import second_factor
from accounts.forms import TokenForm

WRONG_CODE = "That code is not right, or has already been used. Try the next one your app shows."


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("wagtailadmin_home")


def _code_accepted(request, form: TokenForm, device) -> bool:
    """Check the submitted code; on failure, say why on the form."""
    if not form.is_valid():
        return False
    if refused := second_factor.refusal(device):
        form.add_error("token", refused)
        return False
    if not second_factor.verify(request, device, form.cleaned_data["token"]):
        form.add_error("token", WRONG_CODE)
        return False
    return True


def verify(request):
    """Second step of signing in: a code from the staff member's authenticator app."""
    device = second_factor.confirmed_device(request.user)
    if device is None:
        return redirect("accounts_two_factor_setup")
    form = TokenForm(request.POST or None)
    if _code_accepted(request, form, device):
        return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


def setup(request):
    """First sign-in without a device: add an authenticator app, confirmed by one code."""
    if second_factor.confirmed_device(request.user) is not None:
        # Replacing a device needs the old one, or an administrator's reset_two_factor.
        return redirect("accounts_two_factor_verify")
    device = second_factor.enrolment_device(request)
    form = TokenForm(request.POST or None)
    if _code_accepted(request, form, device):
        messages.success(request, "Two-factor sign-in is on for your account.")
        return redirect(_next_url(request))
    return TemplateResponse(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "next": _next_url(request),
            "qr_code": second_factor.qr_code_data_uri(device),
            "secret": second_factor.secret_for_display(device),
        },
        status=400 if form.errors else 200,
    )


@never_cache
def logout(request):
    """Only a POST signs out (Wagtail's view); a GET (a link, an image, a prefetch) changes
    nothing and asks instead: no expired cookie, no "logged out" message while the session
    lives."""
    if request.method == "POST":
        return LogoutView.as_view()(request)
    if not request.user.is_authenticated:
        return redirect("wagtailadmin_login")
    return TemplateResponse(request, "accounts/logout_confirm.html", {})
