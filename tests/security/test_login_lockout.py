"""P-18: repeated failed admin logins lock out that username from that address (django-axes)."""

from django.contrib.auth import get_user_model

import pytest
from axes.models import AccessAttempt

PASSWORD = "correct horse battery staple"
LIMIT = 5  # AXES_FAILURE_LIMIT's default


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@example.com", PASSWORD)


def sign_in(client, password, *, username="editor", **extra):
    return client.post(
        "/admin/login/", {"username": username, "password": password, "next": "/admin/"}, **extra
    )


def fail(client, times, **extra):
    for _ in range(times):
        assert sign_in(client, "wrong password", **extra).status_code == 200


def test_the_limit_th_failure_locks_the_account_with_a_clear_message(client, editor):
    fail(client, LIMIT - 1)
    assert sign_in(client, PASSWORD).status_code == 302  # still open below the limit
    client.logout()

    fail(client, LIMIT - 1)
    locked = sign_in(client, "wrong password")
    assert locked.status_code == 429
    assert "Sign-in locked" in locked.text
    assert "Too many failed sign-in attempts for editor from your network (5 in a row)." in (
        locked.text
    )

    # The right password does not get through either, and no session is created.
    again = sign_in(client, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_spoofed_x_forwarded_for_neither_resets_nor_bypasses_the_lock(client, editor):
    for n in range(LIMIT):
        sign_in(client, "wrong password", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")

    # Every attempt counted against the real client address, not the header.
    attempt = AccessAttempt.objects.get(username="editor")
    assert attempt.ip_address == "127.0.0.1"
    assert attempt.failures_since_start == LIMIT

    spoofed = sign_in(client, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.77")
    assert spoofed.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_username_on_that_address_only(client, editor):
    get_user_model().objects.create_superuser("writer", "writer@example.com", PASSWORD)
    fail(client, LIMIT - 1)
    assert sign_in(client, "wrong password").status_code == 429
    assert sign_in(client, PASSWORD).status_code == 429

    # Another account from the same address still signs in.
    assert sign_in(client, PASSWORD, username="writer").status_code == 302
    client.logout()
    # The same account from another address (a colleague's office) still signs in.
    assert sign_in(client, PASSWORD, REMOTE_ADDR="192.0.2.10").status_code == 302
