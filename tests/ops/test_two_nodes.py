"""Scale-out proof: two web nodes, two Celery workers and two beats on one PostgreSQL and one
Redis, driven over real HTTP, do every editorial and reader action exactly once.

Media live in an S3 bucket served by moto's standalone server on loopback: an *emulator* of S3.
The nodes reach it through django-storages' S3 backend, configured only by the AWS_* variables,
so the same code path works against a real bucket (AWS S3, R2, MinIO…) by configuration alone.
A tiny HTTP server stands in for the CDN's purge endpoint (FRONTEND_CACHE_PURGE_URL).
"""

import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from wagtail.models import Collection, PageLogEntry

import pytest
import redis
import requests
from PIL import Image

from editorial.newsroom import COPY_EDIT, PUBLICATION_APPROVAL
from news.factories import ArticlePageFactory
from news.models import ArticlePage, NewsImage, NewsRendition
from readership.counting import BATCHES, BUFFER
from readership.models import ArticleDailyViews, ViewFlushBatch
from tests.editorial.conftest import current_task_state, edit_form_data
from tests.editorial.scheduling_helpers import schedule
from tests.ops.cluster import Cluster, PurgeRecorder, Service, Staffer
from tests.security.servers import database_url, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.timeout(300),
]

VISITORS = 40
PUBLISH_TICK = re.compile(r"Task editorial\.publish_scheduled_pages\[[^\]]+\] succeeded")


@pytest.fixture
def purges():
    with PurgeRecorder() as recorder:
        yield recorder


@pytest.fixture
def cluster(transactional_db, redis_client, bucket, purges, tmp_path):
    """Every process configured by environment variables only, as on separate hosts; the
    database is this test's (committed data), the broker and counters this session's Redis."""
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url(),
        # psycopg's pool, at most two connections per process, shared by gunicorn's threads.
        "DATABASE_POOL_SIZE": "2",
        "REDIS_URL": settings.REDIS_URL,
        "CACHE_REDIS_URL": settings.CACHE_REDIS_URL,
        "FRONTEND_CACHE_PURGE_URL": purges.url,
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "PYTHONUNBUFFERED": "1",
        **bucket["env"],
    }
    nodes = Cluster(env=env, workdir=tmp_path)
    for letter in "ab":
        nodes.add_web(f"web-{letter}")
        nodes.add_worker(f"worker-{letter}")
        nodes.add_beat(f"beat-{letter}")
    try:
        nodes.start()
        yield nodes
    finally:
        nodes.stop()


def photo_bytes() -> bytes:
    image = Image.new("RGB", (640, 400), (200, 80, 40))
    image.paste((30, 60, 120), (0, 250, 640, 400))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def bucket_keys(bucket) -> set[str]:
    listing = bucket["client"].list_objects_v2(Bucket=bucket["name"])
    return {item["Key"] for item in listing.get("Contents", [])}


def media_urls(html: str, bucket) -> set[str]:
    """Every media URL a page points at (img src and every srcset candidate)."""
    return set(re.findall(rf"{re.escape(bucket['endpoint'])}/[^\s\"',]+", html))


def upload_image(writer: Staffer, node: Service, photo: bytes) -> NewsImage:
    writer.get(node, "/admin/images/add/")
    response = writer.post(
        node,
        "/admin/images/add/",
        data={
            "title": "Harbour warehouse fire",
            "description": "Firefighters at the harbour warehouse",
            "collection": Collection.get_first_root_node().pk,
        },
        files={"file": ("harbour-fire.jpg", photo, "image/jpeg")},
    )
    assert response.status_code == 302, response.text[:2000]
    return NewsImage.objects.get(title="Harbour warehouse fire")


def submit_for_review(writer: Staffer, node: Service, article: ArticlePage) -> None:
    html = writer.get(node, f"/admin/pages/{article.pk}/edit/").text
    data = edit_form_data(html, article)
    data["action-submit"] = "Submit"
    form = [(name, value) for name, values in data.lists() for value in values]
    response = writer.post(node, f"/admin/pages/{article.pk}/edit/", data=form)
    assert response.status_code == 302, response.text[:2000]


def approve(reviewer: Staffer, node: Service, article: ArticlePage, comment: str = "") -> None:
    state = current_task_state(article)
    response = reviewer.post(
        node,
        f"/admin/pages/workflow/action/{article.pk}/approve/{state.pk}/",
        data={"comment": comment},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 200, response.text[:2000]


def send_beacon(node: Service, token: str, visitor: int) -> dict:
    """A distinct reader (own browser build, so an own visitor hash) on `node`."""
    response = requests.post(
        f"{node.url}/readership/views/",
        data={"token": token},
        headers={
            "User-Agent": f"Mozilla/5.0 (X11; Linux x86_64; rv:{100 + visitor}.0) "
            f"Gecko/20100101 Firefox/{100 + visitor}.0",
            "Origin": node.url,
        },
        timeout=20,
    )
    assert response.status_code == 200, response.text
    return response.json()


def empty_page_cache() -> None:
    cache_client = redis.Redis.from_url(settings.CACHE_REDIS_URL)
    cache_client.flushdb()
    cache_client.close()


def requests_logged(node: Service, method: str, path: str) -> int:
    return len(re.findall(rf'"{method} {re.escape(path)}\S* HTTP', node.log()))


def test_two_web_nodes_two_workers_and_two_beats_do_each_thing_exactly_once(
    cluster, newsroom, staff, bucket, purges, redis_client
):
    web_a, web_b = (s for s in cluster.services if s.name.startswith("web-"))
    # (b) goes live a few seconds from now, while everything else below happens.
    scheduled, scheduled_revision = schedule(
        newsroom["news"], timezone.now() + timedelta(seconds=6), title="Night ferry timetable"
    )

    # (d) A writer uploads a photo through node A's admin: it lands in the bucket only.
    writer = Staffer("writer", "pw")
    writer.sign_in(web_a)
    photo = photo_bytes()
    image = upload_image(writer, web_a, photo)
    original = bucket["client"].get_object(Bucket=bucket["name"], Key=image.file.name)
    assert original["Body"].read() == photo

    # (a) The writer submits on node A; the editor, signed in on node A, approves on node B
    # (the session lives in PostgreSQL); the chief, signed in on node B, approves there.
    article = ArticlePageFactory(
        parent=newsroom["news"],
        draft=True,
        owner=staff["writer"],
        title="Fire at the harbour warehouse",
        lead_image=image,
        tags=["harbour"],
        authors=[staff["writer"].staff_profile],
    )
    article.save_revision(user=staff["writer"])
    submit_for_review(writer, web_a, article)
    assert current_task_state(article).task.name == COPY_EDIT

    editor = Staffer("editor", "pw")
    editor.sign_in(web_a)
    approve(editor, web_b, article, "Tightened the top.")
    assert current_task_state(article).task.name == PUBLICATION_APPROVAL
    article.refresh_from_db()
    assert article.live is False

    chief = Staffer("chief", "pw")
    chief.sign_in(web_b)
    approve(chief, web_b, article)

    article.refresh_from_db()
    assert article.live is True
    assert article.current_workflow_state is None
    publications = PageLogEntry.objects.filter(page=article, action__startswith="wagtail.publish")
    assert [entry.action for entry in publications] == ["wagtail.publish"]
    assert article.live_revision_id == publications.get().revision_id
    assert requests_logged(web_a, "POST", f"/admin/pages/{article.pk}/edit/") == 1
    assert requests_logged(web_b, "POST", f"/admin/pages/workflow/action/{article.pk}/") == 2
    assert requests_logged(web_a, "POST", f"/admin/pages/workflow/action/{article.pk}/") == 0
    # The publish's follow-up work ran on a worker: one CDN purge, one email to the writer.
    published_email = f"Subject: Published: {article.title}"
    wait_until(
        lambda: purges.count(article.url) and published_email in cluster.logs("worker-"),
        timeout=30,
    )

    # (d) Node B serves the story with renditions it made from the bucket's original; node A,
    # asked the same page (page cache emptied), reuses them: generated once, shared.
    from_b = web_b.get(article.url)
    assert from_b.status_code == 200
    urls = media_urls(from_b.text, bucket)
    renditions = set(NewsRendition.objects.filter(image=image).values_list("file", flat=True))
    assert urls and all(f"/{bucket['name']}/" in url for url in urls)
    assert {url.split(f"/{bucket['name']}/", 1)[1] for url in urls} <= renditions
    for url in urls:
        served = requests.get(url, timeout=20)
        assert served.status_code == 200, url
        with Image.open(io.BytesIO(served.content)) as picture:
            assert picture.size[0] <= 640
    empty_page_cache()
    from_a = web_a.get(article.url)
    assert media_urls(from_a.text, bucket) == urls
    assert set(NewsRendition.objects.filter(image=image).values_list("file", flat=True)) == (
        renditions
    )
    assert bucket_keys(bucket) == {image.file.name, *renditions}

    # (c) VISITORS distinct readers at once, alternately on each node; then some of them again
    # on the other node (the repeat window is shared in Redis): counted once, after the flush.
    token = re.search(r'data-view-token="([^"]+)"', from_a.text).group(1)
    nodes = (web_a, web_b)
    with ThreadPoolExecutor(max_workers=8) as pool:
        first = list(pool.map(lambda i: send_beacon(nodes[i % 2], token, i), range(VISITORS)))
        again = list(pool.map(lambda i: send_beacon(nodes[(i + 1) % 2], token, i), range(10)))
    assert [answer["counted"] for answer in first] == [True] * VISITORS
    assert [answer["counted"] for answer in again] == [False] * 10
    wait_until(lambda: ArticlePage.objects.get(pk=article.pk).view_count == VISITORS, timeout=30)
    # Nothing left in Redis to add later.
    assert redis_client.exists(BUFFER) == 0 and redis_client.scard(BATCHES) == 0
    assert ArticleDailyViews.objects.filter(article=article).aggregate(n=Sum("views"))["n"] == (
        VISITORS
    )
    assert ViewFlushBatch.objects.aggregate(n=Sum("views"))["n"] == VISITORS

    # (b) The scheduled story went live once, though both beats sent every tick and both
    # workers ran ticks; wait for a few more ticks to pass after it went live.
    wait_until(lambda: ArticlePage.objects.get(pk=scheduled.pk).live, timeout=30)
    ticks = len(PUBLISH_TICK.findall(cluster.logs("worker-")))
    wait_until(lambda: len(PUBLISH_TICK.findall(cluster.logs("worker-"))) >= ticks + 3, timeout=20)
    scheduled.refresh_from_db()
    publications = PageLogEntry.objects.filter(page=scheduled, action__startswith="wagtail.publish")
    assert [entry.action for entry in publications] == ["wagtail.publish.scheduled"]
    assert scheduled.live_revision_id == scheduled_revision.pk
    published_lines = f"Published scheduled revision {scheduled_revision.pk} of"
    assert cluster.logs("worker-").count(published_lines) == 1
    for name in ("beat-a", "beat-b"):
        beat = next(s for s in cluster.services if s.name == name)
        assert beat.log().count("Sending due task publish-scheduled-pages") >= 3, name
    for name in ("worker-a", "worker-b"):
        worker = next(s for s in cluster.services if s.name == name)
        assert PUBLISH_TICK.search(worker.log()), f"{name} never ran a publish tick"
    wait_until(lambda: purges.count(scheduled.url), timeout=20)

    # Exactly once, seen again at the end: one purge and one email per publication, no view
    # counted twice, nothing written to any host's own disk, no server error anywhere.
    assert purges.count(article.url) == 1
    assert purges.count(scheduled.url) == 1
    assert cluster.logs("worker-").count(published_email) == 1
    assert ArticlePage.objects.get(pk=article.pk).view_count == VISITORS
    for service in cluster.services:
        written = list((service.log_path.parent / f"media-{service.name}").rglob("*"))
        assert written == [], service.name
    for node in nodes:
        assert not re.search(r'" 5\d\d ', node.log()), node.name
    assert "Traceback" not in cluster.logs(""), "a process logged an exception"
