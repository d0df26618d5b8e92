# Browser tests here drive Debian's Chromium the same way tests/browser does.
from tests.browser.conftest import browser_type_launch_args  # noqa: F401

# The newsroom's roles and one account per role (tests/editorial), for the permission matrix.
from tests.editorial.conftest import as_role, newsroom, staff  # noqa: E402, F401
