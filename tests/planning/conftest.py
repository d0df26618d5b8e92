"""The newsroom's roles (tests/editorial) and planning helpers: a second section the News desk
does not run, and assignments as the desk would make them."""

from datetime import timedelta

from django.utils import timezone

import pytest

from news.factories import NewsIndexPageFactory
from planning.models import Assignment, AssignmentRole, Pitch
from tests.editorial.conftest import as_role, celery_eager, newsroom, staff  # noqa: F401


@pytest.fixture
def sport(newsroom):  # noqa: F811 - the imported fixture
    """A section beside News, outside the News desk's page permissions."""
    return NewsIndexPageFactory(parent=newsroom["home"], title="Sport", slug="sport")


def pitch_in(section, proposer, idea="Harbour bridge closes for repairs", **fields):
    return Pitch.objects.create(idea=idea, section=section, proposer=proposer, **fields)


def assignment_in(
    section, *people, headline="Council budget vote", due_in=timedelta(hours=3), **fields
):
    fields.setdefault("due_at", timezone.now() + due_in)
    assignment = Assignment.objects.create(headline=headline, section=section, **fields)
    for person in people:
        AssignmentRole.objects.create(assignment=assignment, user=person)
    return assignment
