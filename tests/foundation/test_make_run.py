"""`make run`'s start-up path on the embedded default: no DATABASE_URL, no REDIS_URL."""

import collections
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.foundation.newcomer import ROOT, free_port, newcomer_machine

# Headless Chromium says "HeadlessChrome", which the view counter rightly calls a bot.
READER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


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


@pytest.fixture(scope="module")
def running_platform():
    """`make run`'s supervisor on a newcomer's machine, once for this module's tests (the last
    of which stops it)."""
    with newcomer_machine() as env:
        port = free_port()
        env["PORT"] = str(port)
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
            output = collections.deque(maxlen=200)
            threading.Thread(target=lambda: output.extend(process.stdout), daemon=True).start()
            url = f"http://127.0.0.1:{port}"
            wait_until_serving(f"{url}/")
            yield {"process": process, "banner": banner, "url": url, "env": env, "output": output}
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)
                try:
                    process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "user_agent": READER_UA}


@pytest.mark.browser
def test_a_reader_reacts_and_comments_on_the_platform_make_run_serves(running_platform, page):
    url = running_platform["url"]
    home = urllib.request.urlopen(f"{url}/", timeout=10).read().decode()  # noqa: S310
    # The site names the origin it is served from, not localhost.
    assert f'<link rel="canonical" href="{url}/">' in home
    assert "http://localhost" not in home

    page.goto(f"{url}/")
    page.locator(".lead__title a").click()
    page.wait_for_load_state("domcontentloaded")
    canonical = page.locator("link[rel=canonical]").get_attribute("href")
    assert canonical.startswith(f"{url}/news/")
    assert page.locator("meta[property='og:image']").get_attribute("content").startswith(url)

    page.get_by_role("button", name="Informative", exact=True).click()
    expect(page.locator("[data-reaction-results]")).to_contain_text("Informative: 1 (your choice)")

    page.get_by_label("Name").fill("Morgan")
    page.get_by_role("textbox", name="Comment").fill("Thank you for following this so closely.")
    page.wait_for_timeout(3200)  # the comment form's minimum time on the page under `make run`
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments-status")).to_have_text(
        "Thank you! Your comment is awaiting moderation."
    )


def test_make_run_serves_the_site_logs_in_the_admin_and_stops_cleanly(running_platform):
    url = running_platform["url"]
    password = re.search(r"Password: (\S+)", running_platform["banner"]).group(1)

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
    assert process.wait(timeout=60) == 0, "".join(running_platform["output"])
    with pytest.raises(OSError):
        urllib.request.urlopen(f"{url}/", timeout=2)  # noqa: S310
