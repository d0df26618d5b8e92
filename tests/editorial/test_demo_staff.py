from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command

from wagtail.models import WorkflowPage

import pytest

pytestmark = pytest.mark.django_db


def test_demo_staff_logins_work_and_are_stable(site_tree, tmp_path, monkeypatch, client):
    monkeypatch.setenv("MASTHEAD_DATA_DIR", str(tmp_path))
    first, second = StringIO(), StringIO()

    call_command("create_demo_staff", stdout=first)
    call_command("create_demo_staff", stdout=second)

    assert first.getvalue() == second.getvalue()
    logins = [line.split() for line in first.getvalue().splitlines()]
    assert [(line[-2]) for line in logins] == ["writer", "editor", "chief"]
    for *_, username, password in logins:
        response = client.post("/admin/login/", {"username": username, "password": password})
        assert (response.status_code, response["Location"]) == (302, "/admin/")
        assert client.get("/admin/").status_code == 200
        client.logout()
        user = User.objects.get(username=username)
        assert (tmp_path / f"demo_{username}_password").read_text() == password
        assert (tmp_path / f"demo_{username}_password").stat().st_mode & 0o777 == 0o600
        assert user.staff_profile.get_parent().pk == site_tree["staff"].pk
    refused = client.post("/admin/login/", {"username": "writer", "password": "wrong"})
    assert refused.status_code == 200
    roles = {line[-2]: " ".join(line[:-2]) for line in logins}
    assert roles == {"writer": "Writer", "editor": "Editor", "chief": "Chief editor"}
    assert WorkflowPage.objects.get(page=site_tree["news"]).workflow.name == "News desk"
