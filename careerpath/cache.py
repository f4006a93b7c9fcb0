"""A Redis cache that fails soft: an unreachable or frozen Redis is a cache miss, never a 500.

Nothing the app keeps in the cache is the only copy (the content version, rate-limit counters), so
when Redis is down a read is a miss, a write is dropped and a page still renders from the database.
A short socket timeout bounds each call, and after a failure the cache is skipped altogether for
``PAUSE_SECONDS`` (a circuit breaker), so a frozen Redis costs one timeout per process every few
seconds instead of one per call.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)
PAUSE_SECONDS = 5.0
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)

_paused_until = 0.0  # per process: every thread's cache client shares the breaker


def cache_available() -> bool:
    """False while the breaker is open (Redis failed within the last ``PAUSE_SECONDS``)."""
    return time.monotonic() >= _paused_until


def _fail_soft(fallback: Callable[..., Any]):
    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            global _paused_until
            if not cache_available():
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE as error:
                _paused_until = time.monotonic() + PAUSE_SECONDS
                log.warning("Cache unavailable (%s); carrying on without it for %.0f s", error, PAUSE_SECONDS)
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


class FailSoftRedisCacheClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        """One Redis client per connection pool, kept: Django builds a new one for every cache call,
        and building one registers some 170 response callbacks (about 0.15 ms, four times a page).
        A client only borrows connections from its pool, so sharing it between threads is safe."""
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client

    add = _fail_soft(lambda *a, **k: False)(RedisCacheClient.add)
    get = _fail_soft(lambda key, default: default)(RedisCacheClient.get)
    set = _fail_soft(lambda *a, **k: None)(RedisCacheClient.set)
    touch = _fail_soft(lambda *a, **k: False)(RedisCacheClient.touch)
    delete = _fail_soft(lambda *a, **k: False)(RedisCacheClient.delete)
    get_many = _fail_soft(lambda *a, **k: {})(RedisCacheClient.get_many)
    has_key = _fail_soft(lambda *a, **k: False)(RedisCacheClient.has_key)
    incr = _fail_soft(lambda *a, **k: None)(RedisCacheClient.incr)  # a rate limit then fails open
    set_many = _fail_soft(lambda *a, **k: [])(RedisCacheClient.set_many)
    delete_many = _fail_soft(lambda *a, **k: None)(RedisCacheClient.delete_many)
    clear = _fail_soft(lambda *a, **k: False)(RedisCacheClient.clear)


class FailSoftRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSoftRedisCacheClient
