"""The lock file must resolve to the versions we meant: pip silently picks ancient releases
of packages whose newest version caps Django or Wagtail below ours."""

from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.version import Version

FLOORS = {
    "wagtail": "8.0.1",
    "django": "6.1.3",
    "celery": "5.7.0",
    "psycopg": "3.3.0",
    "django-redis": "7.0.0",
    "redis": "6.0.0",
    "wagtail-factories": "4.5.0",
    "django-axes": "8.3.1",
    "crawlerdetect": "0.4.2",
    "whitenoise": "6.12.0",
}


@pytest.mark.parametrize(("package", "floor"), FLOORS.items())
def test_installed_package_is_not_older_than_intended(package, floor):
    assert Version(version(package)) >= Version(floor)


def test_django_celery_beat_is_not_installed():
    # Its only Django-6.1-installable release (2.1.0, 2020) leaves pending migrations.
    with pytest.raises(ModuleNotFoundError):
        __import__("django_celery_beat")


ROOT = Path(__file__).resolve().parents[2]
DEV_ONLY = ("pytest", "pytest-django", "factory-boy", "wagtail-factories", "playwright", "ruff")


def pins(lock: str) -> dict[str, str]:
    lines = (ROOT / lock).read_text().splitlines()
    return dict(
        line.split(" ", 1)[0].split("==")
        for line in lines
        if line and not line.startswith((" ", "#"))
    )


def test_the_production_lock_holds_no_test_or_dev_tools():
    production = pins("requirements.lock")
    assert "wagtail" in production and "gunicorn" in production
    assert [package for package in DEV_ONLY if package in production] == []


def test_the_dev_lock_adds_the_tools_at_the_production_pins():
    production, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert all(package in dev for package in DEV_ONLY)
    assert {package: dev.get(package) for package in production} == production


def test_the_image_installs_the_production_lock_only():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.lock" in dockerfile
    assert "requirements-dev.lock" not in dockerfile
