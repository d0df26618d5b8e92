"""A worker killed in the middle of a nightly batch: once its pool restarts, the lists are exactly
those of a pass that ran once (issue #9)."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.db import connection

import psycopg
import pytest

from news import related
from news.models import RelatedArticle, RelatedPass
from tests.polling import wait_for
from tests.security.servers import database_url

from .test_nightly_pass import every_list

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def run_pass_here() -> None:
    step = related.start_or_resume_pass()
    while step is not None:
        step = related.run_pass_batch(step=step, batch_size=500)


def pool_children(pid: int) -> list[int]:
    children = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in children.read_text().split()] if children.exists() else []


def waiting_for_advisory_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return cursor.fetchone()[0] > 0


@pytest.fixture
def bulk_worker():
    """A real prefork worker process consuming the bulk queue, as in production."""
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "bulk", "-c", "1",
         "-P", "prefork", "--without-mingle", "--without-gossip", "-l", "WARNING"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        assert wait_for(lambda: len(pool_children(worker.pid)) == 1, timeout=60)
        yield worker
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def test_a_batch_killed_mid_write_is_redone_once_after_the_pool_restarts(write, bulk_worker):
    from news import tasks

    stories = [write(topic, variant) for topic in ("volcano", "budget") for variant in range(3)]
    run_pass_here()
    once = every_list()
    assert len(once) == len(stories)
    RelatedArticle.objects.all().delete()
    RelatedPass.objects.all().delete()

    # Hold one story's list lock, so the worker's batch stops inside its write transaction
    # (checkpoint already moved, lists not yet stored), then kill the process running it.
    with psycopg.connect(database_url(), autocommit=True) as blocker:
        blocker.execute(
            "SELECT pg_advisory_lock(%s, %s)", [related._LOCK_NAMESPACE, stories[-1].pk]
        )
        tasks.recompute_all_related.delay()
        assert wait_for(waiting_for_advisory_lock, timeout=60)
        (child,) = pool_children(bulk_worker.pid)
        os.kill(child, signal.SIGKILL)
        assert wait_for(lambda: pool_children(bulk_worker.pid) not in ([], [child]), timeout=30)
        assert every_list() == {}  # the killed batch stored nothing
        blocker.execute("SELECT pg_advisory_unlock_all()")

    done = RelatedPass.Phase.DONE
    assert wait_for(lambda: RelatedPass.objects.filter(phase=done).exists(), timeout=60)
    assert every_list() == once
