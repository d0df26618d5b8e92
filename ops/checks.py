"""Readiness probes for the services Masthead depends on."""

from django.conf import settings
from django.db import connection

import redis


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False


def redis_ok(url: str) -> bool:
    client = redis.Redis.from_url(
        url,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
        socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def readiness() -> dict[str, bool]:
    return {
        "database": database_ok(),
        "broker": redis_ok(settings.CELERY_BROKER_URL),
        "cache": redis_ok(settings.CACHE_REDIS_URL),
    }
