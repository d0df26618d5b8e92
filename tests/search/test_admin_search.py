"""Editors search drafts in the admin, limited to the sections they may work on (Wagtail's
own page search, fed by the same index)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from wagtail.models import GroupPagePermission

import pytest

pytestmark = pytest.mark.django_db


def admin_search_titles(client, user, text) -> list[str]:
    client.force_login(user)
    response = client.get("/admin/pages/search/", {"q": text})
    assert response.status_code == 200
    return sorted(page.title for page in response.context["pages"])


def editor_of(section, name):
    group = Group.objects.create(name=f"{name} editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=section, permission=Permission.objects.get(codename="change_page")
    )
    user = get_user_model().objects.create_user(name, f"{name}@example.com", "pw-long-enough-1")
    user.groups.add(group)
    return user


def test_editor_finds_drafts_only_in_their_own_section(client, publish, site_tree):
    sport = site_tree["news"].add_child(
        instance=type(site_tree["news"])(title="Sport", slug="sport")
    )
    publish("Harbour regatta draft", draft=True, parent=sport)
    publish("Harbour council draft", draft=True)
    publish("Harbour council live story")
    chief = get_user_model().objects.create_superuser("chief", "c@example.com", "pw-long-enough-1")

    assert admin_search_titles(client, chief, "harbour") == [
        "Harbour council draft",
        "Harbour council live story",
        "Harbour regatta draft",
    ]
    assert admin_search_titles(client, editor_of(sport, "sports"), "harbour") == [
        "Harbour regatta draft"
    ]


def test_readers_never_see_those_drafts(client, publish, site_tree):
    publish("Harbour council draft", draft=True)

    response = client.get("/search/", {"q": "harbour"})

    assert response.context["results"].paginator.count == 0
