import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.steps import PASSWORD, log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_downloads_their_data_then_deletes_their_account_and_cannot_log_in(
    live_server, page: Page, learner_history
):
    log_in(page, live_server.url, "ada")
    page.get_by_role("link", name="ada").click()
    section = page.locator("#your-data")
    with page.expect_download() as started:
        section.get_by_role("link", name="Download as JSON").click()
    download = started.value
    assert download.suggested_filename.startswith("careerpath-ada-") and download.suggested_filename.endswith(".json")
    records = json.loads(Path(download.path()).read_text())["records"]
    assert records["account"][0]["username"] == "ada" and records["roadmap_links"]

    section.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", name="Delete your account?")).to_be_visible()
    password = page.get_by_label("Your password")
    password.fill("not-my-password")
    password.press("Enter")  # the keyboard sends the form
    expect(page.get_by_text("That is not your password. Nothing was deleted.")).to_be_visible()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account and everything CareerPath held about you have been deleted.")).to_be_visible()
    assert page.url == f"{live_server.url}/"

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Please enter a correct username and password.")).to_be_visible()
