"""Signing out is a POST: a GET (a link, an image on another site, a prefetch) neither ends the
session nor pretends to, so nobody believes they signed out of a shared computer when they have
not, and no other site can sign staff out."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session

import pytest

LOGGED_OUT = "You have been successfully logged out."


@pytest.fixture
def signed_in(client, settings, wagtail_root):
    settings.ADMIN_REQUIRE_2FA = False
    user = get_user_model().objects.create_superuser("chief", "chief@example.com", "pw")
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_a_get_asks_and_changes_nothing(signed_in):
    session_key = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    asked = signed_in.get("/admin/logout/")
    assert asked.status_code == 200
    assert "Sign out?" in asked.content.decode()
    assert settings.SESSION_COOKIE_NAME not in asked.cookies  # no expired cookie sent
    assert LOGGED_OUT not in asked.content.decode()
    dashboard = signed_in.get("/admin/")
    assert dashboard.status_code == 200
    assert LOGGED_OUT not in dashboard.content.decode()  # no message queued either
    assert Session.objects.filter(session_key=session_key).exists()


@pytest.mark.django_db
def test_the_confirmation_form_signs_out_for_real(signed_in):
    session_key = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
    asked = signed_in.get("/admin/logout/")
    assert 'action="/admin/logout/" method="post"' in asked.content.decode()
    out = signed_in.post("/admin/logout/")
    assert out.status_code == 302
    assert out["Location"] == "/admin/login/"
    assert out.cookies[settings.SESSION_COOKIE_NAME].value == ""
    assert not Session.objects.filter(session_key=session_key).exists()
    assert signed_in.get("/admin/")["Location"].startswith("/admin/login/")
