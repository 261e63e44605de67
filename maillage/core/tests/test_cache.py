import time

import pytest

from maillage.core.cache import TolerantRedisCache


@pytest.fixture
def dead_redis_cache():
    # Port 1 on loopback: nothing listens, the connection is refused at once.
    return TolerantRedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.5}})


def test_dead_redis_serves_misses_without_errors(dead_redis_cache):
    started = time.monotonic()
    assert dead_redis_cache.get("k", "fallback") == "fallback"
    assert dead_redis_cache.get_many(["a", "b"]) == {}
    dead_redis_cache.set("k", 1)
    assert dead_redis_cache.add("k", 1) is False
    dead_redis_cache.delete("k")
    with pytest.raises(ValueError):
        dead_redis_cache.incr("k")  # callers treat this as "key missing" and start a new version
    assert time.monotonic() - started < 3


@pytest.mark.redis
def test_live_redis_still_caches(settings):
    import os

    cache = TolerantRedisCache(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"), {})
    cache.set("maillage-test-key", 42, 10)
    assert cache.get("maillage-test-key") == 42
    assert cache.incr("maillage-test-key") == 43
    cache.delete("maillage-test-key")


def test_after_a_failure_redis_is_left_alone_for_a_while(dead_redis_cache, monkeypatch):
    calls = []
    original = TolerantRedisCache.__mro__[1].get

    def counting_get(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(TolerantRedisCache.__mro__[1], "get", counting_get)
    assert dead_redis_cache.get("a") is None
    assert dead_redis_cache.get("b") is None
    assert len(calls) == 1  # the second call did not even try
