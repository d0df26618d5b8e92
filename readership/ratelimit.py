"""Fixed-window rate limits in Redis (raw client), with an explicit policy when Redis fails."""

import logging
from dataclasses import dataclass

from ops.counters import REDIS_FAILURES, counters

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    max_hits: int
    window_seconds: int


class RateLimitUnavailable(Exception):
    """Redis could not be asked, and the limit fails closed."""


def hit(limits: list[tuple[Limit, str]], *, fail_open: bool) -> Limit | None:
    """Count one hit against each (limit, key); return the first limit exceeded, else None.

    One round trip for all limits. When Redis is down: `fail_open` lets the action through
    (logged), otherwise RateLimitUnavailable is raised so the caller answers 503.
    """
    try:
        with counters().pipeline(transaction=False) as pipe:
            for limit, key in limits:
                redis_key = f"rl:{limit.name}:{key}"
                pipe.incr(redis_key)
                pipe.expire(redis_key, limit.window_seconds, nx=True)
            results = pipe.execute()
    except REDIS_FAILURES:
        logger.warning(
            "rate_limit_unavailable limits=%s policy=%s",
            ",".join(limit.name for limit, _ in limits),
            "open" if fail_open else "closed",
        )
        if fail_open:
            return None
        raise RateLimitUnavailable from None
    for (limit, _), count in zip(limits, results[::2], strict=True):
        if count > limit.max_hits:
            return limit
    return None
