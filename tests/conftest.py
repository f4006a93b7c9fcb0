import os

# Playwright's sync API runs an event loop in the test thread; the ORM then refuses sync calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_cache_and_throttle():
    """Each test starts with an empty cache, so cached sessions and login throttling don't leak."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(scope="session")
def celery_broker_url() -> str:
    return settings.CELERY_BROKER_URL


@pytest.fixture
def celery_live_worker(transactional_db):
    """A real Celery worker consuming from Redis in this process, seeing the test database."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("needs a broker: run through `make test` (CELERY_BROKER_URL set)")
    from celery.contrib.testing.worker import start_worker

    from careerpath.celery import app

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
