"""Steps the browser journeys share."""

from playwright.sync_api import Page, expect

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's


def log_in(page: Page, base: str, username: str) -> None:
    """Sign in through the log-in page and wait for the dashboard."""
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Hello, {username}")).to_be_visible()
