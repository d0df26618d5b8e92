"""Colleagues tell each other apart in the admin: initials where there is no uploaded avatar."""

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.test.utils import WagtailTestUtils
from wagtail.users.models import UserProfile

import pytest

from news.factories import make_image_file

pytestmark = pytest.mark.django_db


def avatars(response):
    assert response.status_code == 200, response.status_code
    return WagtailTestUtils.get_soup(response.content.decode()).select(".avatar")


def test_a_staff_member_without_an_uploaded_avatar_shows_their_initials(staff, as_role):
    staff["writer"].last_name = "de Souza"
    staff["writer"].save()

    shown = avatars(as_role("writer").get("/admin/"))

    assert shown, "the admin shows the signed-in user's avatar"
    assert {avatar.get_text(strip=True) for avatar in shown} == {"WS"}
    assert not [avatar for avatar in shown if avatar.select("img")]


def test_an_uploaded_avatar_is_shown_instead_of_initials(staff, as_role):
    profile = UserProfile.get_for_user(staff["editor"])
    profile.avatar = SimpleUploadedFile(
        "me.png", make_image_file(width=80, height=80, fmt="PNG"), "image/png"
    )
    profile.save()

    shown = avatars(as_role("editor").get("/admin/"))

    assert all(avatar.select_one("img[src*='me']") for avatar in shown)
    assert not [avatar for avatar in shown if avatar.select(".avatar__initials")]
