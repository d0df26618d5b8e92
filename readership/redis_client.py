"""The raw Redis client for counters and rate limits.

Not the Django cache: django-redis with IGNORE_EXCEPTIONS would swallow a failed write and
report success. Here a Redis failure raises `redis.RedisError`, and each caller decides.
"""

from functools import lru_cache

from django.conf import settings

import redis


@lru_cache(maxsize=1)
def _client(url: str, timeout: float) -> redis.Redis:
    return redis.Redis.from_url(
        url,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
        health_check_interval=30,
    )


def counters() -> redis.Redis:
    return _client(settings.REDIS_URL, settings.REDIS_SOCKET_TIMEOUT)
