"""F-10: a CDN whose purge API errors never fails a publish; the purge is logged, retried, and
lands once the CDN answers again. The CDN is a real HTTP server on loopback, the worker real."""

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from news.factories import ArticlePageFactory, StaffProfilePageFactory
from tests.editorial.conftest import edit_form
from tests.security.servers import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


class FlakyCDN(BaseHTTPRequestHandler):
    """Answers PURGE with 500 while `failing` is set, then 200; records every request."""

    failing = True
    received: list[tuple[str, int]] = []

    def do_PURGE(self):  # noqa: N802 - the HTTP method name
        status = 500 if FlakyCDN.failing else 200
        FlakyCDN.received.append((self.path, status))
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    FlakyCDN.failing, FlakyCDN.received = True, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FlakyCDN)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "news.purging.HTTPPurgeBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    yield FlakyCDN
    server.shutdown()
    server.server_close()


def test_publish_succeeds_while_the_cdn_fails_and_the_purge_lands_when_it_recovers(
    site_tree, admin_client, celery_worker_instance, cdn, caplog
):
    caplog.set_level(logging.WARNING, logger="news.purging")
    article = ArticlePageFactory(
        parent=site_tree["news"],
        title="Harbour ferry resumes",
        slug="harbour-ferry",
        with_image=True,
        tags=["transport"],
        authors=[StaffProfilePageFactory(parent=site_tree["staff"], title="Ada Ferry")],
    )
    article.save_revision()
    path = "/news/harbour-ferry/"
    data = edit_form(admin_client, article)
    data["title"] = "Harbour ferry resumes after storm"
    data["action-publish"] = "action-publish"

    response = admin_client.post(f"/admin/pages/{article.pk}/edit/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert (article.live, article.title) == (True, "Harbour ferry resumes after storm")
    from django.test import Client

    assert "Harbour ferry resumes after storm" in Client().get(path).content.decode()

    # The worker's purge fails, is logged, and is retried: two failed attempts reach the CDN.
    # (Each attempt stops at its first failed URL.)
    wait_until(lambda: len([p for p, status in cdn.received if status == 500]) >= 2, timeout=30)
    failures = [
        r.getMessage() for r in caplog.records if "CDN purge of http://localhost/" in r.getMessage()
    ]
    assert len(failures) >= 2, failures
    assert not [p for p, status in cdn.received if status == 200]

    cdn.failing = False
    wait_until(lambda: (path, 200) in cdn.received, timeout=60)
    landed = {p for p, status in cdn.received if status == 200}
    assert {path, "/", "/news/", "/news/tag/transport/"} <= landed
