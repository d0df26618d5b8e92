# The browser test of `make run` drives Debian's Chromium the same way tests/browser does.
from tests.browser.conftest import browser_type_launch_args  # noqa: F401
