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


def sign_up(page: Page, username: str) -> None:
    """Fill in and send the sign-up form open on the page; waits for onboarding."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password:", exact=True).fill("a-long-passphrase-1")
    page.get_by_label("Password confirmation").fill("a-long-passphrase-1")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", name="Welcome to CareerPath")).to_be_visible()
