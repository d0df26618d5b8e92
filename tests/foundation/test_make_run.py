"""`make run`'s start-up path on the embedded default: no DATABASE_URL, no REDIS_URL."""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_banner(process: subprocess.Popen, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    output = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            if process.poll() is not None:
                break
            continue
        output.append(line)
        if "Password:" in line:
            return "".join(output)
    raise AssertionError("make run never printed the login:\n" + "".join(output[-40:]))


def wait_until_serving(url: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5)  # noqa: S310 - loopback only
            return
        except urllib.error.HTTPError:
            return  # it answers; the test then looks at what it says
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} never answered")


@pytest.fixture
def running_platform():
    # Not pytest's tmp_path: /tmp/pytest-of-root is private to root, and the embedded PostgreSQL
    # runs as its own system user, which must reach its data folder.
    parent = ROOT / ".data" / "tests"
    parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="make-run-", dir=parent))
    workdir.chmod(0o755)
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "CACHE_REDIS_URL",
            "SECRET_KEY",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    port = free_port()
    env.update(
        MASTHEAD_DATA_DIR=str(workdir / "data"),
        EMBEDDED_REDIS_PORT=str(free_port()),
        PORT=str(port),
        CELERY_BEAT_SCHEDULE_FILENAME=str(workdir / "beat-schedule"),
    )
    process = subprocess.Popen(
        [sys.executable, "scripts/run.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        banner = wait_for_banner(process, timeout=240)
        # Keep reading what the platform prints: a full pipe would block the worker's logging.
        threading.Thread(target=lambda: [None for _ in process.stdout], daemon=True).start()
        yield {"process": process, "banner": banner, "url": f"http://127.0.0.1:{port}", "env": env}
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        # The embedded servers run in their own sessions: make sure none outlives the test.
        subprocess.run(
            [sys.executable, "scripts/services.py", "stop"], cwd=ROOT, env=env, timeout=60
        )
        shutil.rmtree(workdir, ignore_errors=True)


def test_make_run_serves_the_site_logs_in_the_admin_and_stops_cleanly(running_platform):
    url = running_platform["url"]
    password = re.search(r"Password: (\S+)", running_platform["banner"]).group(1)
    wait_until_serving(f"{url}/")

    home = urllib.request.urlopen(f"{url}/", timeout=10).read().decode()  # noqa: S310
    assert "Masthead" in home
    assert "View all news" in home

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_page = opener.open(f"{url}/admin/login/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "admin", "password": password, "next": "/admin/"}
    ).encode()
    request = urllib.request.Request(
        f"{url}/admin/login/", data=form, headers={"Referer": f"{url}/admin/login/"}
    )
    dashboard = opener.open(request, timeout=30)
    assert dashboard.geturl() == f"{url}/admin/"
    assert "Dashboard" in dashboard.read().decode()

    # A trivial task round-trips through the embedded Redis and the running worker.
    round_trip = subprocess.run(
        [
            sys.executable,
            "scripts/services.py",
            "exec",
            "--",
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
            "django.setup(); from config.celery import ping; print(ping.delay().get(timeout=90))",
        ],
        cwd=ROOT,
        env=running_platform["env"],
        capture_output=True,
        text=True,
        timeout=150,
    )
    assert round_trip.stdout.strip().endswith("pong"), round_trip.stderr

    process = running_platform["process"]
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=60) == 0
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/", timeout=2)  # noqa: S310
