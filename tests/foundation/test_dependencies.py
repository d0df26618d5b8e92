"""The lock file must resolve to the versions we meant: pip silently picks ancient releases
of packages whose newest version caps Django or Wagtail below ours."""

from importlib.metadata import version

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
