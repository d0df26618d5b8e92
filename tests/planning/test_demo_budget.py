"""`make run` opens on a living story budget: today's and tomorrow's plan in every section."""

from datetime import timedelta
from io import StringIO

from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

import pytest

from editorial.desk import newsroom_zone
from planning.models import Assignment, Pitch, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_site(tmp_path, monkeypatch):
    monkeypatch.setenv("MASTHEAD_DATA_DIR", str(tmp_path))
    call_command("seed_demo", articles=0, verbosity=0)
    call_command("create_demo_staff", stdout=StringIO())


def test_the_demo_budget_plans_today_and_tomorrow_in_every_section(demo_site, client):
    call_command("seed_planning", verbosity=0)

    today = timezone.localtime(timezone.now(), newsroom_zone()).date()
    slots = [
        timezone.localtime(a.slot_at, newsroom_zone()).date() for a in Assignment.objects.all()
    ]
    assert slots.count(today) == 10 and slots.count(today + timedelta(days=1)) == 5
    statuses = {a.status for a in Assignment.objects.with_status()}
    assert {Status.ASSIGNED, Status.IN_PROGRESS, Status.FILED, Status.KILLED} <= statuses
    assert Pitch.objects.awaiting_decision().count() == 3

    client.force_login(User.objects.get(username="chief"))
    page = client.get("/admin/planning/budget/").content.decode()
    for headline in ("Budget vote: where the rebels stand", "Festival line-up revealed"):
        assert headline in page
    for section in ("World", "Politics", "Business", "Science", "Culture"):
        assert section in page


def test_seeding_twice_keeps_the_plan_the_desk_already_has(demo_site):
    call_command("seed_planning", verbosity=0)
    before = sorted(Assignment.objects.values_list("pk", "headline"))
    out = StringIO()

    call_command("seed_planning", stdout=out)

    assert sorted(Assignment.objects.values_list("pk", "headline")) == before
    assert out.getvalue().strip() == "Plans exist; nothing seeded."
