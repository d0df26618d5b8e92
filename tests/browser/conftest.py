"""Playwright drives Debian's Chromium (playwright's own browser download does not work here)."""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        raise RuntimeError(
            "Browser tests need Chromium: sudo apt-get update && sudo apt-get install -y chromium "
            "(or set CHROMIUM_PATH)."
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": chromium_path(),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def axe():
    return Axe()


# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run in
# a thread with a running loop unless told this is deliberate (the tests themselves are sync).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def assert_no_axe_violations(axe: Axe, page) -> None:
    results = axe.run(page)
    violations = results.response["violations"]
    assert violations == [], results.generate_report()
