from wagtail.models import Collection

import pytest

from news.factories import StaffProfilePageFactory


@pytest.fixture(autouse=True)
def _root_collection(db):
    """Images need Wagtail's root collection; a transactional test elsewhere may have flushed it."""
    if not Collection.objects.exists():
        Collection.add_root(name="Root")


@pytest.fixture
def reporter(site_tree):
    return StaffProfilePageFactory(
        parent=site_tree["staff"], title="Ada Byline", slug="ada-byline", role="Courts reporter"
    )
