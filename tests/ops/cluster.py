"""Masthead as several hosts would run it: web nodes, Celery workers and beats as separate
processes on loopback, sharing only PostgreSQL, Redis, the media bucket and a CDN."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests

from tests.security.servers import ROOT, free_port, wait_until

STOP_TIMEOUT = 20


@dataclass
class Service:
    """One long-running process (in its own process group) and its log file."""

    name: str
    command: list[str]
    env: dict[str, str]
    log_path: Path
    is_ready: Callable[[Service], object]
    url: str = ""
    process: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, sig: int) -> None:
        """Signal the whole process group (gunicorn's and Celery's children too)."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, sig)

    def get(self, path: str, **kwargs) -> requests.Response:
        return requests.get(f"{self.url}{path}", timeout=20, **kwargs)


@dataclass
class Cluster:
    """Two web nodes (gunicorn), two workers (all queues, own hostnames) and two beats."""

    env: dict[str, str]
    workdir: Path
    services: list[Service] = field(default_factory=list)

    def _add(
        self, name: str, command: list[str], *, is_ready, url: str = "", **env: str
    ) -> Service:
        media = self.workdir / f"media-{name}"
        media.mkdir()
        service = Service(
            name=name,
            command=command,
            # Each process has a media folder of its own, as separate hosts would: anything
            # written there instead of the bucket would be invisible to the other nodes.
            env={**self.env, "MEDIA_ROOT": str(media), **env},
            log_path=self.workdir / f"{name}.log",
            is_ready=is_ready,
            url=url,
        )
        self.services.append(service)
        return service

    def add_web(self, name: str) -> Service:
        port = free_port()
        return self._add(
            name,
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application"]
            # Two masters on one host would share (and unlink) one default control socket.
            + ["--no-control-socket"],
            url=f"http://127.0.0.1:{port}",
            is_ready=lambda web: web.get("/livez/").ok,
            GUNICORN_BIND=f"127.0.0.1:{port}",
            GUNICORN_WORKERS="1",
            GUNICORN_THREADS="4",
        )

    def add_worker(self, name: str) -> Service:
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        return self._add(
            name,
            [*celery, "worker", "--queues", "realtime,default,bulk", "--hostname", f"{name}@%h"]
            + ["--concurrency", "1", "--loglevel", "INFO"],
            is_ready=lambda worker: re.search(rf"{name}@\S+ ready\.", worker.log()),
        )

    def add_beat(self, name: str) -> Service:
        celery = [sys.executable, "-m", "celery", "-A", "config"]
        schedule = self.workdir / f"{name}-schedule"
        return self._add(
            name,
            [*celery, "beat", "--loglevel", "INFO", "--schedule", str(schedule)],
            is_ready=lambda beat: "beat: Starting" in beat.log(),
        )

    def start(self, *, timeout: float = 60) -> None:
        """Start everything at once, then wait until every process says it is ready."""
        for service in self.services:
            service.start()
        for service in self.services:
            try:
                wait_until(lambda s=service: s.running() and s.is_ready(s), timeout=timeout)
            except AssertionError as error:
                tail = service.log()[-3000:]
                raise AssertionError(f"{service.name} never became ready:\n{tail}") from error

    def stop(self) -> None:
        """SIGTERM to all (warm shutdown), then SIGKILL to whatever outlives the deadline."""
        for service in self.services:
            service.signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for service in self.services:
            if service.process is None:
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                service.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            service.signal(signal.SIGKILL)  # whatever is left of the group, if anything
            service.process.wait(timeout=10)

    def logs(self, prefix: str) -> str:
        return "".join(s.log() for s in self.services if s.name.startswith(prefix))


class PurgeRecorder:
    """A stand-in for the CDN's purge endpoint (FRONTEND_CACHE_PURGE_URL): records each PURGE."""

    def __init__(self) -> None:
        self.purged: list[str] = []
        lock = threading.Lock()
        recorded = self.purged

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self) -> None:  # noqa: N802 - the HTTP method's name
                with lock:
                    recorded.append(self.path)
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> PurgeRecorder:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self, path: str) -> int:
        return self.purged.count(path)


class Staffer:
    """A member of staff's browser: one cookie jar for every node (cookies ignore the port),
    so a session started on one node is used on the other."""

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password
        self.http = requests.Session()

    def csrf_token(self) -> str:
        return self.http.cookies["csrftoken"]

    def sign_in(self, node: Service) -> None:
        page = self.get(node, "/admin/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = self.http.post(
            f"{node.url}/admin/login/",
            data={
                "csrfmiddlewaretoken": token,
                "username": self.username,
                "password": self.password,
                "next": "/admin/",
            },
            allow_redirects=False,
            timeout=20,
        )
        assert response.status_code == 302, response.text[:2000]
        assert response.headers["Location"] == "/admin/"

    def get(self, node: Service, path: str) -> requests.Response:
        response = self.http.get(f"{node.url}{path}", timeout=30)
        assert response.status_code == 200, (path, response.status_code)
        return response

    def post(self, node: Service, path: str, data, **kwargs) -> requests.Response:
        return self.http.post(
            f"{node.url}{path}",
            data=data,
            headers={"X-CSRFToken": self.csrf_token(), **kwargs.pop("headers", {})},
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )
