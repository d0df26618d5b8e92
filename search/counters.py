"""The raw Redis client for search's counters (query log buffer, rate limits).

Not the cache client: django-redis swallows errors there, and a counter must know when it
failed so that each caller can apply its own, explicit failure policy.
"""

from functools import cache

from django.conf import settings

import redis


@cache
def counter_client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.REDIS_URL,
        socket_timeout=settings.REDIS_SOCKET_TIMEOUT,
        socket_connect_timeout=settings.REDIS_SOCKET_TIMEOUT,
    )
