"""A live coverage page in the news section, its writer bylined, and the newsroom's roles."""

from wagtail.models import Collection

import pytest

from live.factories import LivePageFactory
from live.models import LivePage
from tests.editorial.conftest import as_role, newsroom, staff  # noqa: F401 - shared fixtures


@pytest.fixture(autouse=True)
def _root_collection(db):
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


def publish(page, **fields):
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return LivePage.objects.get(pk=page.pk)


@pytest.fixture
def coverage(newsroom, staff):  # noqa: F811 - the fixtures imported above
    """ "Storm Amy: live", published, owned by the chief, with the writer on its byline."""
    page = LivePageFactory(
        parent=newsroom["news"],
        title="Storm Amy: live",
        slug="storm-amy",
        summary="The storm reaches the coast tonight.",
        owner=staff["chief"],
        authors=[staff["writer"].staff_profile],
    )
    return publish(page)
