"""The newsroom's roles (tests/editorial) and a bundle of complete stories as the desk makes it."""

from datetime import timedelta

from django.utils import timezone

import pytest

from releases.models import BundlePage, ReleaseBundle
from tests.editorial.conftest import (  # noqa: F401
    as_role,
    celery_eager,
    complete_article,
    newsroom,
    staff,
)


def make_bundle(stories, *, added_by, release_at=None, name="Budget day"):
    """A bundle of `stories`, each with its latest revision, added by `added_by`."""
    bundle = ReleaseBundle.objects.create(
        name=name,
        release_at=release_at or timezone.now() - timedelta(seconds=1),
        created_by=added_by,
    )
    for order, story in enumerate(stories):
        story.refresh_from_db()
        BundlePage.objects.create(
            bundle=bundle,
            page=story,
            revision_id=story.latest_revision_id,
            added_by=added_by,
            sort_order=order,
        )
    return bundle


@pytest.fixture
def five_stories(newsroom, staff):  # noqa: F811 - the imported fixtures
    """Five complete drafts by the writer: the chief may publish each."""
    return [
        complete_article(newsroom["news"], staff["writer"], title=f"Budget story {n}")
        for n in range(1, 6)
    ]
