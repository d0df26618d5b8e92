"""F-03: the broker is down while an editor publishes. The publish succeeds (no 500, the story is
live at once); once the broker is back, the periodic reconciliation redoes the follow-up work the
broker lost: the "Continue reading" list, the purge and the publication email.

Everything runs in its own process against a private redis-server as broker (the page cache
stays on the machine's Redis): gunicorn serving the admin, and a Celery worker.
"""

import re
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import timezone

from wagtail.models import PageLogEntry
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

import pytest
import requests

from config.celery import app as celery_app
from editorial.models import PublishFollowUp
from news import related
from news.factories import (
    ArticlePageFactory,
    NewsImageFactory,
    StaffProfilePageFactory,
    paragraphs,
)
from news.models import ArticlePage, RelatedArticle
from tests.security.servers import AppServer, RedisServer, WorkerProcess, database_url, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
VOLCANO = [
    "The volcano erupted before dawn, and lava flowed towards the coastal villages.",
    "Ash clouds grounded flights while geologists measured sulphur and magma pressure.",
]


@pytest.fixture
def broker():
    server = RedisServer()
    server.start()
    yield server
    server.crash()


@pytest.fixture
def services(broker, tmp_path):
    env = {
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker.url,
        "CACHE_REDIS_URL": settings.CACHE_REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PUBLISH_FOLLOW_UP_GRACE_SECONDS": "1",
    }
    web = AppServer(env=env, log_path=tmp_path / "gunicorn.log")
    worker = WorkerProcess(env=env, log_path=tmp_path / "worker.log")
    web.start()
    worker.start()
    yield web, worker
    worker.stop()
    web.stop()


def sign_in(web) -> requests.Session:
    session = requests.Session()
    login = session.get(f"{web.url}/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    response = session.post(
        f"{web.url}/admin/login/",
        {"username": "chief", "password": PASSWORD, "csrfmiddlewaretoken": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def publish_through_the_admin(session, web, article: ArticlePage, *, title: str):
    """The edit form as a browser posts it, with a new headline and the Publish button."""
    html = session.get(f"{web.url}/admin/pages/{article.pk}/edit/").text
    data = querydict_from_html(html, form_id="page-edit-form")
    for box in WagtailTestUtils.get_soup(html).select("#page-edit-form input[type=checkbox]"):
        if box.has_attr("checked") and not box.has_attr("value"):
            data[box["name"]] = "on"
    latest = article.get_latest_revision_as_object()
    body = streamfield([("paragraph", rich_text(block.value.source)) for block in latest.body])
    data.update(nested_form_data({"body": body}))
    data["title"] = title
    data["action-publish"] = "action-publish"
    fields = [(name, value) for name, values in data.lists() for value in values]
    edit_url = f"{web.url}/admin/pages/{article.pk}/edit/"
    return session.post(
        edit_url,
        data=fields,
        headers={"X-CSRFToken": session.cookies["csrftoken"], "Referer": edit_url},
        allow_redirects=False,
    )


def test_a_publish_survives_a_dead_broker_and_reconciliation_redoes_its_follow_ups(
    site_tree, services, broker
):
    web, worker = services
    get_user_model().objects.create_superuser("chief", "chief@example.com", PASSWORD)
    reporter = StaffProfilePageFactory(parent=site_tree["staff"], title="Ada Lava")
    common = {
        "parent": site_tree["news"],
        "tags": ["volcano"],
        "authors": [reporter],
        # One photo, its renditions made by the first page view (AVIF is slow on a busy box).
        "lead_image": NewsImageFactory(),
    }
    earlier = ArticlePageFactory(
        title="Volcano lava reaches the coast", body=paragraphs(VOLCANO), **common
    )
    related.refresh_article(article_id=earlier.pk)
    article = ArticlePageFactory(
        title="Volcano ash closes the airport", body=paragraphs(VOLCANO[::-1]), draft=True, **common
    )
    article.save_revision()
    session = sign_in(web)
    assert web.get(earlier.url, timeout=60).status_code == 200

    broker.crash()
    response = publish_through_the_admin(
        session, web, article, title="Volcano ash closes the island"
    )

    assert response.status_code == 302, response.text[:1000]
    article.refresh_from_db()
    assert (article.live, article.title) == (True, "Volcano ash closes the island")
    assert "Volcano ash closes the island" in web.get(article.url).text
    assert "Volcano ash closes the island" in web.get("/news/").text
    assert web.server_errors_logged() == []
    assert "Could not enqueue" in web.log_path.read_text()
    # The follow-up work was lost with the broker: no list yet, the marker waits.
    assert PublishFollowUp.objects.filter(page_id=article.pk).exists()
    assert not RelatedArticle.objects.filter(article=article).exists()
    entry = PageLogEntry.objects.get(page_id=article.pk, action="wagtail.publish")
    assert cache.get(f"editorial:notified:publication:{entry.pk}") is None

    # Beat finds a marker a minute later at the earliest; here, once its 1 s grace has passed.
    marker = PublishFollowUp.objects.get(page_id=article.pk)
    time.sleep(max(0.0, (marker.recorded_at - timezone.now()).total_seconds() + 1.5))
    broker.start()  # same port: the worker reconnects by itself
    with celery_app.connection_for_write(broker.url) as connection:
        # What beat sends every minute.
        celery_app.send_task("editorial.reconcile_publish_follow_ups", connection=connection)

    wait_until(lambda: not PublishFollowUp.objects.filter(page_id=article.pk).exists(), timeout=60)
    wait_until(
        lambda: RelatedArticle.objects.filter(article=article, related=earlier).exists(), timeout=30
    )
    wait_until(lambda: cache.get(f"editorial:notified:publication:{entry.pk}") == 1, timeout=30)
    assert "Redid the follow-up work of 1 publication" in worker.log_path.read_text()
    # The neighbours' lists follow in a task of their own, after the article's.
    wait_until(
        lambda: RelatedArticle.objects.filter(article=earlier, related=article).exists(), timeout=30
    )
    assert "Volcano ash closes the island" in web.get(f"{earlier.url}?fresh=1").text

    # A second run finds nothing left to do, and sends no second email.
    with celery_app.connection_for_write(broker.url) as connection:
        celery_app.send_task("editorial.reconcile_publish_follow_ups", connection=connection)
    wait_until(
        lambda: worker.log_path.read_text().count("reconcile_publish_follow_ups") >= 4, timeout=30
    )
    assert worker.log_path.read_text().count("Redid the follow-up work") == 1
