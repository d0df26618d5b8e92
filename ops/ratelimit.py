"""Fixed-window rate limits in Redis (the raw counters client), with an explicit policy when
Redis fails. Every limit in the project (reader comments and reactions, autocomplete) counts here.

Each window is opened with `SET key 0 EX window NX` and counted with `INCR` (which keeps the
key's expiry), in one MULTI/EXEC so no counter can outlive its window. Both commands exist since
Redis 2.6.12; `EXPIRE … NX` would need Redis 7, newer than the oldest server Masthead supports
(ops/versions.py).
"""

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
        with counters().pipeline(transaction=True) as pipe:
            for limit, key in limits:
                redis_key = f"rl:{limit.name}:{key}"
                pipe.set(redis_key, 0, ex=limit.window_seconds, nx=True)
                pipe.incr(redis_key)
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
    for (limit, _), count in zip(limits, results[1::2], strict=True):
        if count > limit.max_hits:
            return limit
    return None
