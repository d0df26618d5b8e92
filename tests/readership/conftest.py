import pytest

from news.factories import ArticlePageFactory
from readership.counting import view_token

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def article(site_tree):
    return ArticlePageFactory(parent=site_tree["news"], title="Harbour bridge reopens")


@pytest.fixture
def beacon(client, redis_client):
    """Send the view beacon for an article as a browser at `address` would."""

    def send(article, *, address="203.0.113.7", user_agent=BROWSER_UA, **headers):
        return client.post(
            "/readership/views/",
            {"token": view_token(article.pk)},
            REMOTE_ADDR=address,
            headers={"User-Agent": user_agent, "Origin": "http://testserver", **headers},
        )

    return send
