"""Web nodes hold no state of their own: media go to shared object storage, and anonymous reads
can go to a replica while editors read their own writes from the primary."""

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from django.test import RequestFactory

import pytest

from news.models import ArticlePage, NewsImage, NewsRendition
from ops.db_routers import REPLICA, ReaderReplicaRouter
from ops.middleware import ReaderReplicaMiddleware
from tests.security.servers import database_url

ROOT = Path(__file__).resolve().parents[2]


def run_on_a_node(code: str, *, bucket: dict) -> str:
    """Run Django code in a separate process configured only by environment variables — a web
    node that shares nothing with this one but the database and the bucket."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "DATABASE_URL": database_url(),
        **bucket["env"],
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


@pytest.mark.django_db(transaction=True)
def test_an_image_uploaded_on_one_node_is_served_by_another_from_the_bucket(bucket, wagtail_root):
    image_id = run_on_a_node(
        "from news.factories import NewsImageFactory; print(NewsImageFactory(title='Harbour').pk)",
        bucket=bucket,
    )
    rendition_url = run_on_a_node(
        "from news.models import NewsImage; "
        f"print(NewsImage.objects.get(pk={image_id}).get_rendition('fill-320x180|format-webp').url)",
        bucket=bucket,
    )

    keys = {
        item["Key"] for item in bucket["client"].list_objects_v2(Bucket=bucket["name"])["Contents"]
    }
    image = NewsImage.objects.get(pk=image_id)
    rendition = image.renditions.get()
    assert keys == {image.file.name, rendition.file.name}
    assert rendition_url.startswith(bucket["endpoint"])
    served = urllib.request.urlopen(rendition_url, timeout=10).read()
    assert served[:4] == b"RIFF" and served[8:12] == b"WEBP"


def test_anonymous_reads_go_to_the_replica_and_everyone_elses_to_the_primary(settings):
    settings.DATABASES = {**settings.DATABASES, REPLICA: settings.DATABASES["default"]}
    router = ReaderReplicaRouter()
    seen = {}

    def view(request):
        seen["article"] = router.db_for_read(ArticlePage)
        seen["rendition"] = router.db_for_read(NewsRendition)
        return None

    middleware = ReaderReplicaMiddleware(view)
    factory = RequestFactory()

    middleware(factory.get("/news/"))
    assert seen == {"article": REPLICA, "rendition": None}

    editor_request = factory.get("/news/")
    editor_request.COOKIES[settings.SESSION_COOKIE_NAME] = "an-editor-session"
    middleware(editor_request)
    assert seen["article"] is None

    middleware(factory.post("/comments/"))
    assert seen["article"] is None

    # Outside a request (Celery, commands) reads stay on the primary.
    assert router.db_for_read(ArticlePage) is None
    assert router.allow_migrate(REPLICA, "news") is False


def test_without_a_replica_configured_nothing_is_routed(settings):
    assert REPLICA not in settings.DATABASES
    seen = {}
    ReaderReplicaMiddleware(
        lambda request: seen.setdefault("db", ReaderReplicaRouter().db_for_read(ArticlePage))
    )(RequestFactory().get("/"))
    assert seen["db"] is None
