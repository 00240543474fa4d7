"""How many messages one sender and one client address may send in a sliding window.

In memory for one Rasa process; in Redis when `LOCK_STORE_URL` is set, so several instances share
the count. A refused message is not counted, so a sender is read again as soon as the oldest
message of the window ages out. If Redis cannot be reached the limiter lets messages through:
losing a conversation would be worse than a burst.
"""

from __future__ import annotations

import logging
import os
import time
import uuid
from collections import OrderedDict, deque
from typing import Callable, Optional

import redis

from reliability.settings import Limits
from stores.lock_store import LOCK_STORE_URL_ENV

logger = logging.getLogger(__name__)

# Distinct senders and addresses remembered at once; the least recently seen is forgotten first.
MAX_TRACKED_KEYS = 100_000

# Sliding-window log as one atomic step: drop old entries, count, add when under the limit.
# Returns 0 when admitted, else the seconds until the oldest entry leaves the window.
_REDIS_HIT = """
local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) < limit then
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, math.ceil(window * 1000))
  return '0'
end
local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
return tostring(tonumber(oldest[2]) + window - now)
"""


class MemoryWindows:
    """Sliding windows kept in this process."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_keys: int = MAX_TRACKED_KEYS) -> None:
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._told_until: dict[str, float] = {}

    def hit(self, key: str, limit: int, window: float) -> float:
        now = self._clock()
        hits = self._hits.pop(key, deque())
        while hits and hits[0] <= now - window:
            hits.popleft()
        self._hits[key] = hits
        if len(self._hits) > self._max_keys:
            forgotten, _ = self._hits.popitem(last=False)
            self._told_until.pop(forgotten, None)
        if len(hits) < limit:
            hits.append(now)
            return 0.0
        return hits[0] + window - now

    def first_refusal(self, key: str, retry_after: float) -> bool:
        now = self._clock()
        if self._told_until.get(key, 0.0) > now:
            return False
        self._told_until[key] = now + retry_after
        return True


class RedisWindows:
    """Sliding windows shared by every instance through Redis."""

    def __init__(self, client: redis.Redis, prefix: str = "rate:") -> None:
        self._redis = client
        self._prefix = prefix
        self._script = client.register_script(_REDIS_HIT)

    def hit(self, key: str, limit: int, window: float) -> float:
        try:
            now = time.time()
            return float(self._script(keys=[self._prefix + key], args=[now, window, limit, f"{now}:{uuid.uuid4().hex}"]))
        except redis.RedisError as error:
            logger.warning("Rate limit not checked, Redis is unavailable: %s", error)
            return 0.0

    def first_refusal(self, key: str, retry_after: float) -> bool:
        try:
            milliseconds = max(1, int(retry_after * 1000))
            return bool(self._redis.set(f"{self._prefix}told:{key}", 1, nx=True, px=milliseconds))
        except redis.RedisError:
            return True


class RateLimiter:
    """Per-sender and per-address limits of `Limits`; 0 switches either off."""

    def __init__(self, limits: Limits, windows: Optional[MemoryWindows | RedisWindows] = None) -> None:
        self.limits = limits
        self.windows = windows or windows_from_env()

    def retry_after(self, sender: str, address: Optional[str] = None) -> float:
        """0 when this message may be read (and is counted), else seconds to wait."""
        checks = [("sender:" + sender, self.limits.rate_limit)]
        if address:
            checks.append(("address:" + address, self.limits.rate_limit_per_address))
        for key, limit in checks:
            if limit > 0:
                wait = self.windows.hit(key, limit, self.limits.rate_window_seconds)
                if wait > 0:
                    return wait
        return 0.0

    def first_refusal(self, sender: str, retry_after: float) -> bool:
        """True once per pause of a sender: the one time they are asked to slow down."""
        return self.windows.first_refusal("sender:" + sender, retry_after)


def windows_from_env() -> MemoryWindows | RedisWindows:
    url = os.environ.get(LOCK_STORE_URL_ENV, "").strip()
    if not url:
        return MemoryWindows()
    return RedisWindows(redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2))
