"""A second factor for staff: one authenticator app (TOTP) per account, through django-otp.

A signed-in user whose session has not been verified by their device may open only the
sign-in flow in the admin (see `accounts.middleware`).
"""

from base64 import b32encode

from django.conf import settings
from django.http import HttpRequest

import segno
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Authenticator app"


def is_required(request: HttpRequest) -> bool:
    """Whether this signed-in request still has to pass the second factor."""
    user = request.user
    return bool(settings.ADMIN_REQUIRE_2FA and user.is_authenticated and not user.is_verified())


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


ENROLMENT_SESSION_KEY = "two_factor_enrolment_device"


def enrolment_device(request: HttpRequest) -> TOTPDevice:
    """The unconfirmed device this session is setting up: the same one until it is confirmed,
    and never another session's (someone else who knows the password cannot read the key the
    real user is about to confirm)."""
    user = request.user
    device = (
        TOTPDevice.objects.devices_for_user(user, confirmed=False)
        .filter(pk=request.session.get(ENROLMENT_SESSION_KEY))
        .first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
        request.session[ENROLMENT_SESSION_KEY] = device.pk
    return device


def refusal(device: TOTPDevice) -> str | None:
    """Why no code can be checked right now (django-otp's throttle after wrong codes), if so."""
    allowed, _detail = device.verify_is_allowed()
    if allowed:
        return None
    return "Too many wrong codes in a row: wait a few seconds, then enter the newest code."


def verify(request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Check `token` against `device` (throttled by django-otp); on success, mark the session."""
    if not device.verify_token(token):
        return False
    if not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Every other session's key dies with the enrolment.
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        request.session.pop(ENROLMENT_SESSION_KEY, None)
    request.session.cycle_key()
    otp_login(request, device)
    return True


def secret_for_display(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)
