"""Scheduling articles and running real Celery processes against the test database."""

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from django.conf import settings

from wagtail.models import Revision

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
