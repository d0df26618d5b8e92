"""P-17: staff need a second factor (django-otp TOTP); a password alone opens no admin page."""

import os
import re
import subprocess
import sys
import time
from base64 import b32decode
from html import unescape
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from news.factories import ArticlePageFactory

PASSWORD = "correct horse battery staple"
SETUP = "/admin/two-factor/setup/"
VERIFY = "/admin/two-factor/"
OPEN_TO_A_PASSWORD_ONLY_SESSION = {
    "/admin/login/",
    "/admin/logout/",
    "/admin/sprite/",
    "/admin/jsi18n/",
    SETUP,
    VERIFY,
}


@pytest.fixture(autouse=True)
def _second_factor_on(settings):
    settings.ADMIN_REQUIRE_2FA = True


@pytest.fixture
def editor(wagtail_root):
    return get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)


def admin_paths_without_arguments() -> list[str]:
    """Every URL Django can route under /admin/ that takes no argument."""
    found = []

    def walk(patterns, prefix):
        for entry in patterns:
            route = str(entry.pattern)
            if "<" in route or any(ch in route for ch in "^$()[]*+?\\"):
                continue
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + route)
            elif isinstance(entry, URLPattern):
                found.append("/" + prefix + route)

    walk(get_resolver().url_patterns, "")
    return sorted({path for path in found if path.startswith("/admin/")})


def password_sign_in(client):
    response = client.post(
        "/admin/login/", {"username": "editor", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def key_shown_on(page_html: str) -> bytes:
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page_html).group(1)
    return b32decode(secret.replace(" ", ""))


def code(key: bytes) -> str:
    return f"{totp(key):06d}"


def test_a_password_only_session_reaches_no_admin_page_but_the_second_factor(
    client, editor, site_tree
):
    article = ArticlePageFactory(parent=site_tree["news"], title="Embargoed budget leak")
    password_sign_in(client)

    guarded = [
        path
        for path in admin_paths_without_arguments()
        if path not in OPEN_TO_A_PASSWORD_ONLY_SESSION
    ] + [
        f"/admin/pages/{article.pk}/edit/",
        f"/admin/pages/{article.pk}/revisions/",
        f"/admin/pages/{article.pk}/history/",
        f"/admin/api/main/pages/{article.pk}/",
        "/admin/no-such-admin-page/",
    ]
    assert len(guarded) > 40  # the whole admin, not a handful
    for path in guarded:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP + "?next="), path
        assert b"Embargoed budget leak" not in response.content
        # POSTs too: nothing is changed behind the redirect.
        posted = client.post(path, {"title": "Changed"})
        assert posted.status_code == 302, path
        assert posted["Location"] == SETUP, path

    article.refresh_from_db()
    assert article.title == "Embargoed budget leak"
    assert client.get("/admin/").status_code == 302


def test_first_sign_in_sets_up_an_authenticator_app_then_every_sign_in_asks_for_a_code(
    client, editor
):
    password_sign_in(client)
    to_setup = client.get("/admin/")
    assert to_setup["Location"] == SETUP + "?next=%2Fadmin%2F"

    setup_page = client.get(to_setup["Location"])
    assert setup_page.status_code == 200
    html = unescape(setup_page.text)
    assert "Set up two-factor sign-in" in html
    assert 'src="data:image/svg+xml' in html
    key = key_shown_on(html)
    device = TOTPDevice.objects.get(user=editor)
    assert device.confirmed is False
    assert device.bin_key == key

    wrong = client.post(
        SETUP, {"token": f"{(int(code(key)) + 1) % 1_000_000:06d}", "next": "/admin/"}
    )
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.text
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/admin/").status_code == 302

    # django-otp throttles after a wrong code: even the right one waits a moment.
    throttled = client.post(SETUP, {"token": code(key), "next": "/admin/"})
    assert throttled.status_code == 400
    assert "Too many wrong codes in a row: wait a few seconds" in throttled.text

    with time_machine.travel(time.time() + 5, tick=False):
        confirmed = client.post(SETUP, {"token": code(key), "next": "/admin/"})
        assert confirmed.status_code == 302
        assert confirmed["Location"] == "/admin/"
        dashboard = client.get("/admin/")
    assert dashboard.status_code == 200
    assert "Dashboard" in dashboard.text
    assert "Two-factor sign-in is on for your account." in dashboard.text
    assert TOTPDevice.objects.filter(user=editor).count() == 1
    assert TOTPDevice.objects.get(user=editor).confirmed is True

    client.post("/admin/logout/")
    password_sign_in(client)
    to_verify = client.get("/admin/pages/")
    assert to_verify["Location"] == VERIFY + "?next=%2Fadmin%2Fpages%2F"
    # With a device, a password alone cannot enrol another one.
    assert client.get(SETUP)["Location"] == VERIFY
    # The code already used is refused (replay); the next one is accepted.
    replay = client.post(VERIFY, {"token": code(key), "next": "/admin/pages/"})
    assert replay.status_code == 400
    assert client.get("/admin/").status_code == 302
    with time_machine.travel(time.time() + 90, tick=False):
        verified = client.post(VERIFY, {"token": code(key), "next": "/admin/pages/"})
        assert verified.status_code == 302
        assert verified["Location"] == "/admin/pages/"
        assert client.get("/admin/pages/").status_code == 200


def test_a_second_session_with_the_password_never_sees_the_key_the_user_confirms(editor):
    from django.test import Client

    user, intruder = Client(), Client()
    password_sign_in(intruder)  # someone who learnt the password before enrolment
    password_sign_in(user)
    intruders_key = key_shown_on(unescape(intruder.get(SETUP).text))
    users_key = key_shown_on(unescape(user.get(SETUP).text))
    assert intruders_key != users_key
    assert key_shown_on(unescape(user.get(SETUP).text)) == users_key  # stable per session

    confirmed = user.post(SETUP, {"token": code(users_key), "next": "/admin/"})
    assert confirmed.status_code == 302
    assert TOTPDevice.objects.get(user=editor, confirmed=True).bin_key == users_key

    # The intruder's key opens nothing: not the second factor, not a new enrolment.
    assert intruder.get(SETUP)["Location"] == VERIFY
    refused = intruder.post(VERIFY, {"token": code(intruders_key), "next": "/admin/"})
    assert refused.status_code == 400
    assert intruder.post(SETUP, {"token": code(intruders_key)})["Location"] == VERIFY
    assert intruder.get("/admin/").status_code == 302
    assert TOTPDevice.objects.filter(user=editor).count() == 1


def test_the_next_parameter_cannot_send_a_verified_user_off_site(client, editor):
    password_sign_in(client)
    key = key_shown_on(unescape(client.get(SETUP).text))
    response = client.post(SETUP, {"token": code(key), "next": "https://evil.example/"})
    assert response["Location"] == "/admin/"


def test_an_administrator_resets_a_lost_device_and_the_next_sign_in_sets_up_a_new_one(
    client, editor
):
    TOTPDevice.objects.create(user=editor, name="Authenticator app", confirmed=True)
    call_command("reset_two_factor", "editor")
    assert not TOTPDevice.objects.filter(user=editor).exists()
    password_sign_in(client)
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_check_deploy_warns_when_the_second_factor_is_off():
    root = Path(__file__).resolve().parents[2]
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG"}
        },
        "SECRET_KEY": "x" * 30 + "-production-like-secret-key-for-check-deploy",
        "ALLOWED_HOSTS": "news.example.com",
        "ADMIN_REQUIRE_2FA": "0",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "accounts.W001" in result.stderr + result.stdout
