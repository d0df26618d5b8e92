""" "My work": the signed-in person's assignments on the admin home page, overdue first."""

from django.conf import settings
from django.utils import timezone

from wagtail.admin.ui.components import Component

from planning.models import Assignment, Status

SHOWN = 20


def my_work(user, *, now=None) -> list[Assignment]:
    """Open assignments of `user`, overdue first, then by due time."""
    now = now or timezone.now()
    open_work = (
        Assignment.objects.of(user)
        .with_status()
        .exclude(status__in=[Status.PUBLISHED, Status.KILLED])
        .select_related("section", "article")
        .order_by("due_at", "pk")[:SHOWN]
    )
    return sorted(open_work, key=lambda item: (item.lateness(now=now) is None, item.due_at))


class MyWorkPanel(Component):
    order = 89
    template_name = "planning/panels/my_work.html"

    def get_context_data(self, parent_context):
        now = timezone.now()
        items = my_work(parent_context["request"].user, now=now)
        return {
            "rows": [(item, item.lateness(now=now)) for item in items],
            "time_zone": settings.TIME_ZONE,
        }
