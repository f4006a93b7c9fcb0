import pytest


@pytest.fixture(autouse=True)
def _fail_fast(page):
    # Waits are for what the page shows; 10 s is ample on this machine and fails a broken test quickly.
    page.set_default_timeout(10_000)
    yield
