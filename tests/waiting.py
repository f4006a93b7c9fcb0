import time


def wait_for(condition, *, timeout: float = 60.0, what: str = "condition"):
    """Wait until ``condition()`` is truthy: state written by another process, polled, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")
