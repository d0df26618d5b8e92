"""A fixed-window request limit per client address, counted in Redis."""

import logging

from ops.counters import REDIS_FAILURES, counters

logger = logging.getLogger(__name__)


def allow(*, scope: str, client: str, limit: int, window_seconds: int) -> bool:
    """Whether this request is within `limit` per `window_seconds` for `client` in `scope`.

    Fails open: when Redis is unavailable the request is allowed and a warning logged.
    Autocomplete is read-only, cheap and public; refusing every keystroke while Redis blips
    would break the search box for everyone, and the edge proxy still limits abusers.
    """
    key = f"ratelimit:{scope}:{client}"
    try:
        pipe = counters().pipeline()
        pipe.incr(key)
        pipe.expire(key, window_seconds, nx=True)
        count, _ = pipe.execute()
    except REDIS_FAILURES:
        logger.warning("rate limit not applied: Redis unavailable", exc_info=True)
        return True
    return count <= limit
