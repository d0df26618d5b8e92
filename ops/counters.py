"""The raw Redis client for counters, buffers, locks and rate limits (REDIS_URL's database).

Not the Django cache: django-redis with IGNORE_EXCEPTIONS would swallow a failed write and
report success. Here a Redis failure raises one of `REDIS_FAILURES`, and each caller decides.
"""

from functools import lru_cache

from django.conf import settings

import redis

# redis-py raises ValueError ("I/O operation on closed file"), not a RedisError, when a
# connection times out mid-handshake under load (redis/redis-py#883, #947).
REDIS_FAILURES = (redis.RedisError, ValueError)


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
