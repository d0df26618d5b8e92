"""Waiting for a worker's effect from a test, on a fresh database snapshot each time."""

import time

from django.db import close_old_connections


def wait_for(read, expected=True, *, timeout: float = 20.0):
    """Poll `read()` until it returns `expected` (the worker's effect); returns the last value."""
    deadline = time.monotonic() + timeout
    while True:
        close_old_connections()
        value = read()
        if value == expected or time.monotonic() > deadline:
            return value
        time.sleep(0.05)
