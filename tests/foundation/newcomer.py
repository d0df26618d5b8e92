"""A newcomer's machine inside a test: a private data folder for the embedded servers and the
environment `make run` / `make test` see there (no DATABASE_URL, no REDIS_URL)."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# What the suite itself runs with, and a newcomer's shell does not have.
SUITE_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_REDIS_URL",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "PUBLIC_BASE_URL",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def newcomer_machine() -> Iterator[dict[str, str]]:
    """The environment of a shell with only the project checked out; its embedded servers keep
    their data in a folder of this test's own, and are stopped (and the folder removed) after."""
    # Not pytest's tmp_path: /tmp/pytest-of-root is private to root, and the embedded PostgreSQL
    # runs as its own system user, which must reach its data folder.
    parent = ROOT / ".data" / "tests"
    parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="newcomer-", dir=parent))
    workdir.chmod(0o755)
    env = {key: value for key, value in os.environ.items() if key not in SUITE_VARIABLES}
    env.update(
        MASTHEAD_DATA_DIR=str(workdir / "data"),
        EMBEDDED_REDIS_PORT=str(free_port()),
        CELERY_BEAT_SCHEDULE_FILENAME=str(workdir / "beat-schedule"),
    )
    try:
        yield env
    finally:
        # The embedded servers run in their own sessions: none may outlive the test.
        for profile in ([], ["--isolated"]):
            subprocess.run(
                [sys.executable, "scripts/services.py", *profile, "stop"],
                cwd=ROOT,
                env=env,
                timeout=60,
            )
        shutil.rmtree(workdir, ignore_errors=True)


def services_environment(env: dict[str, str], *profile: str) -> dict[str, str]:
    """Start the embedded servers of `env` (`make run`'s, or `--isolated` ones) and return the
    variables they give the project."""
    exported = subprocess.run(
        [sys.executable, "scripts/services.py", *profile, "start"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    variables = {}
    for line in exported.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        variables[name] = value.strip("'")
    return variables
