"""F-01/F-02: Redis (broker, counters and page cache) dies while readers read and editors work."""

from django.conf import settings
from django.contrib.auth import get_user_model

from wagtail.models import Page

import pytest

from news.factories import ArticlePageFactory, StaffProfilePageFactory
from tests.security.servers import AppServer, RedisServer, database_url, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
TOKEN = "probe-token"


@pytest.fixture
def private_redis():
    server = RedisServer()
    server.start()
    yield server
    server.crash()


@pytest.fixture
def app(private_redis, tmp_path):
    server = AppServer(
        env={
            "DATABASE_URL": database_url(),
            "REDIS_URL": private_redis.url,
            "HEALTHCHECK_TOKEN": TOKEN,
            # The same media folder as this process, which creates the article's lead image.
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        },
        log_path=tmp_path / "gunicorn.log",
    )
    server.start()
    yield server
    server.stop()


def test_readers_and_editors_carry_on_while_redis_is_down_and_it_recovers_by_itself(
    app, private_redis, site_tree, page
):
    # A piece that passes the publication checklist, so a direct publish goes through.
    article = ArticlePageFactory(
        parent=site_tree["news"],
        title="Tram line opens",
        with_image=True,
        tags=["transport"],
        authors=[StaffProfilePageFactory(parent=site_tree["staff"], title="Ada Tram")],
    )
    get_user_model().objects.create_superuser("chief", "chief@example.com", PASSWORD)
    reader_paths = ["/", "/news/", article.url, "/search/?q=tram", "/staff/"]
    assert app.get("/healthz/").status_code == 200
    workers = app.worker_pids()

    private_redis.crash()

    for path in reader_paths:
        response = app.get(path)
        assert response.status_code == 200, path
    assert "Tram line opens" in app.get(article.url).text
    health = app.get("/healthz/")
    assert health.status_code == 503
    assert health.json() == {"status": "unavailable"}
    detailed = app.get("/healthz/", headers={"X-Health-Token": TOKEN}).json()
    assert detailed["checks"] == {"database": True, "broker": False, "cache": False}
    assert app.get("/livez/").status_code == 200  # no restart storm

    # An editor signs in (sessions live in PostgreSQL), saves a draft and publishes.
    page.goto(f"{app.url}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{app.url}/admin/")

    page.goto(f"{app.url}/admin/pages/{article.pk}/edit/")
    page.locator("#id_title").fill("Tram line opens to the harbour")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("has been updated").wait_for()
    draft = Page.objects.get(pk=article.pk).get_latest_revision()
    assert draft.content["title"] == "Tram line opens to the harbour"
    assert "Tram line opens to the harbour" not in app.get(article.url).text

    page.get_by_role("button", name="More actions").click()
    page.locator('button[name="action-publish"]').click()
    page.get_by_text("Published: “Tram line opens to the harbour”.").wait_for()
    assert "Tram line opens to the harbour" in app.get(article.url).text

    assert app.server_errors_logged() == []

    # Redis comes back on the same address: the app notices without a restart.
    private_redis.start()
    wait_until(lambda: app.get("/healthz/").status_code == 200, timeout=10)
    assert app.get("/healthz/", headers={"X-Health-Token": TOKEN}).json()["checks"] == {
        "database": True,
        "broker": True,
        "cache": True,
    }
    for path in reader_paths:
        assert app.get(path).status_code == 200, path
    assert app.worker_pids() == workers  # recovered without restarting a worker
