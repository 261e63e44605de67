"""A Redis cache that degrades to "no cache" when Redis is unreachable.

Redis is an accelerator here, never the truth: every cached value can be recomputed from the database.
So when Redis goes down mid-workshop, pages keep working (slower) instead of failing with a 500; the
error is logged once per minute per process, not per request.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("maillage.cache")
_REDIS_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
_last_warning = 0.0


def _warn(exc: Exception) -> None:
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("Redis cache unreachable, serving without cache: %s", exc)


RETRY_AFTER_SECONDS = 5.0


class TolerantRedisCache(RedisCache):
    """After a failure, Redis is left alone for a few seconds (every call is a miss), and redis-py's own
    retries with back-off are turned off: a dead cache must cost nothing, not seconds per call."""

    def __init__(self, server, params):
        from redis.backoff import NoBackoff
        from redis.retry import Retry

        options = dict(params.get("OPTIONS") or {})
        options.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(server, {**params, "OPTIONS": options})
        self._down_until = 0.0

    def _guard(self, method: str, default, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except _REDIS_DOWN as exc:
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            _warn(exc)
            return default

    def get(self, key, default=None, version=None):
        return self._guard("get", default, key, default, version)

    def get_many(self, keys, version=None):
        return self._guard("get_many", {}, keys, version)

    def set(self, *args, **kwargs):
        return self._guard("set", None, *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._guard("add", False, *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._guard("set_many", [], *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._guard("delete", False, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._guard("delete_many", None, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._guard("touch", False, *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._guard("has_key", False, *args, **kwargs)

    def incr(self, key, delta=1, version=None):
        if time.monotonic() < self._down_until:
            raise ValueError("cache unavailable")
        try:
            return super().incr(key, delta, version)
        except _REDIS_DOWN as exc:
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            _warn(exc)
            # Callers treat a missing key as "start a new version"; with Redis down nothing is cached anyway.
            raise ValueError("cache unavailable") from exc

    def clear(self):
        return self._guard("clear", None)
