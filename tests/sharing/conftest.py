"""A writer's draft with a sentinel in its text, the newsroom's roles, and a browser-like client."""

import pytest

from news.factories import paragraphs
from tests.editorial.conftest import as_role, complete_article, newsroom, staff  # noqa: F401 - fixtures

SENTINEL = "Pangolin-Quarry-7731"
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _clean_redis(redis_client):
    """Rate-limit windows and the page cache start empty."""


@pytest.fixture
def draft(newsroom, staff):  # noqa: F811
    """The writer's draft, never published, its text carrying SENTINEL."""
    return complete_article(
        newsroom["news"],
        staff["writer"],
        title=f"Council hid the audit {SENTINEL}",
        dek=f"The report the council kept back {SENTINEL}",
        body=paragraphs([f"The audit found the books did not balance. {SENTINEL}"]),
    )


@pytest.fixture
def reader(client):
    """An anonymous reader's browser (a real user agent: crawlers are turned away)."""
    client.defaults["HTTP_USER_AGENT"] = USER_AGENT
    return client
