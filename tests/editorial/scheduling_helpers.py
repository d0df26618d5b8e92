"""Scheduling articles and running real Celery processes against the test database."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from wagtail.models import Revision
from wagtail.signals import page_published

from news.factories import ArticlePageFactory
from tests.security.servers import database_url

ROOT = Path(__file__).resolve().parents[2]


def schedule(parent, at: datetime, **kwargs):
    """A draft article whose latest revision is approved to go live at `at` (past or future)."""
    article = ArticlePageFactory(parent=parent, draft=True, go_live_at=at, **kwargs)
    revision = article.save_revision()
    Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=at)
    return article, revision


def process_env() -> dict[str, str]:
    """Environment for a Celery process that sees this test's database and broker."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "PYTHONUNBUFFERED": "1",
    }


def start_celery(*args: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", *args],
        cwd=ROOT,
        env=process_env(),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_beat(tmp_path: Path) -> subprocess.Popen:
    return start_celery(
        "beat",
        "--loglevel",
        "INFO",
        "-s",
        str(tmp_path / "beat-schedule"),
        log=tmp_path / "beat.log",
    )


def start_worker(tmp_path: Path, name: str = "worker") -> subprocess.Popen:
    return start_celery(
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        "1",
        "--hostname",
        f"{name}@%h",
        log=tmp_path / f"{name}.log",
    )


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_until(predicate, *, timeout: float, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        time.sleep(interval)
    return predicate()


def run_twice_at_once(run) -> tuple[list, list[int]]:
    """Two threads call `run` at the same moment, as two schedulers on two hosts would: what
    each call returned, and the id of every page published meanwhile (once per publication)."""
    published: list[int] = []
    runs = []
    start = threading.Barrier(2)

    def record(sender, instance, **kwargs):
        published.append(instance.pk)

    def scheduler():
        try:
            start.wait()
            runs.append(run())
        finally:
            connection.close()

    page_published.connect(record, dispatch_uid="test-two-schedulers-at-once")
    try:
        threads = [threading.Thread(target=scheduler) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        page_published.disconnect(dispatch_uid="test-two-schedulers-at-once")
    return runs, published
