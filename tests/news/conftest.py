from wagtail.models import Collection

import pytest

from news.factories import (
    ArticleCorrectionFactory,
    ArticlePageFactory,
    NewsImageFactory,
    SourceFactory,
    StaffProfilePageFactory,
)


@pytest.fixture(autouse=True)
def _clear_cache(redis_client):
    """Every test starts with empty caches (renditions, site root paths): cold-cache numbers."""


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


@pytest.fixture
def full_article(site_tree, reporter):
    """A story with everything an article can show."""
    second = StaffProfilePageFactory(
        parent=site_tree["staff"],
        title="Bo Chen",
        slug="bo-chen",
        role="Photographer",
        photo=NewsImageFactory(title="Bo", description="Bo Chen"),
    )
    source = SourceFactory(name="City Herald", url="https://herald.example.com/")
    article = ArticlePageFactory(
        parent=site_tree["news"],
        title="Flood barrier holds as river peaks",
        slug="flood-barrier-holds",
        dek="Engineers say the new gates worked as designed.",
        lead_image=NewsImageFactory(
            title="Barrier",
            description="The flood barrier at dawn",
            caption="The gates closed at 4am.",
            credit="Jo Snap",
        ),
        source=source,
        source_url="https://herald.example.com/flood",
        tags=["floods", "climate"],
        authors=[reporter, second],
    )
    ArticleCorrectionFactory(page=article, note="An earlier version misspelt the engineer's name.")
    return article
