"""Readiness: can this process serve and queue work right now? Each dependency is checked with a
short timeout, so a load balancer's probe gets an answer in about a second even when one is frozen."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import connection

CHECK_TIMEOUT_SECONDS = 1.0


def database_ready() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def cache_ready() -> None:
    """Ask Redis itself, past the fail-soft layer (careerpath/cache.py), which would hide the outage."""
    default = caches["default"]
    if isinstance(default, RedisCache):  # the embedded local-memory cache is always there
        default._cache.get_client(write=True).ping()


def broker_ready() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:  # embedded mode: tasks run in-process, no broker
        return
    from .celery import app

    with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=CHECK_TIMEOUT_SECONDS)
        conn.default_channel  # noqa: B018 - opening a channel proves the broker answers


CHECKS: dict[str, Callable[[], None]] = {"database": database_ready, "cache": cache_ready, "broker": broker_ready}


def readiness() -> dict[str, str]:
    """Each dependency's state: "ok", or "down: <why>"."""
    states = {}
    for name, check in CHECKS.items():
        try:
            check()
            states[name] = "ok"
        except Exception as error:  # any failure means not ready; the probe must answer, not raise
            states[name] = f"down: {type(error).__name__}: {error}"[:200]
    return states
