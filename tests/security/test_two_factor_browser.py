"""P-17 in Chromium: an editor sets up an authenticator app on first sign-in, then uses it."""

import time
from base64 import b32decode

from django.contrib.auth import get_user_model

import pytest
import time_machine
from django_otp.oath import totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


def sign_in(page, url):
    page.goto(f"{url}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_editor_turns_on_two_factor_sign_in_and_signs_in_with_a_code(
    live_server, page, wagtail_root, settings
):
    settings.ADMIN_REQUIRE_2FA = True
    get_user_model().objects.create_superuser("chief", "chief@example.com", PASSWORD)

    sign_in(page, live_server.url)
    page.wait_for_url("**/admin/two-factor/setup/?next=%2Fadmin%2F")
    assert page.get_by_role(
        "img", name="QR code for setting up your authenticator app"
    ).is_visible()
    key = b32decode(page.locator("code").inner_text().replace(" ", ""))
    code = page.get_by_label("Six-digit code from your authenticator app")

    code.fill(f"{(totp(key) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.locator(".messages .error").inner_text().startswith("That code is not right")

    with time_machine.travel(time.time() + 5, tick=True):  # past django-otp's throttle
        code.fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Turn on two-factor sign-in").click()
        page.wait_for_url(f"{live_server.url}/admin/")
    assert page.get_by_text("Two-factor sign-in is on for your account.").is_visible()
    assert "Dashboard" in page.title()

    page.context.clear_cookies()
    sign_in(page, live_server.url)
    page.wait_for_url("**/admin/two-factor/?next=%2Fadmin%2F")
    assert page.get_by_role("heading", name="Enter your sign-in code").is_visible()
    with time_machine.travel(time.time() + 60, tick=True):  # the next code, not the one used
        page.get_by_label("Six-digit code from your authenticator app").fill(f"{totp(key):06d}")
        page.get_by_role("button", name="Verify").click()
        page.wait_for_url(f"{live_server.url}/admin/")
    assert "Dashboard" in page.title()
