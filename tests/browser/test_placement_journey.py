import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from assessments.measurement.placement import HARD_CAP
from tests.browser.steps import log_in
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shipped():
    call_command("import_content", verbosity=0)


def _progress(page: Page, number: int):
    return page.get_by_text(re.compile(rf"^Question {number} of at most \d+$"))


def _answer(page: Page, number: int) -> str:
    """Pick the first choice shown for question ``number``, save it and wait for what comes next;
    returns the picked choice's text."""
    expect(_progress(page, number)).to_be_visible()
    choice = page.locator("#answer-form label.choice").first
    text = choice.inner_text().strip()
    choice.locator("input").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(
        _progress(page, number + 1).or_(page.get_by_role("heading", name=re.compile("^Your level:")))
    ).to_be_visible()
    return text


def test_a_learner_finds_their_level_through_reloads_and_back(live_server, page: Page, shipped):
    UserFactory(username="ada")
    log_in(page, live_server.url, "ada")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Find my level").click()
    expect(page.get_by_role("heading", name="Find my level", level=1)).to_be_visible()
    page.get_by_role("button", name="Start the test").click()

    _answer(page, 1)
    _answer(page, 2)
    question_3 = page.locator("legend h2").inner_text()
    page.reload()
    expect(_progress(page, 3)).to_be_visible()
    expect(page.locator("legend h2")).to_have_text(question_3)

    picked = _answer(page, 3)
    page.go_back()
    expect(_progress(page, 3)).to_be_visible()
    expect(page.locator("legend h2")).to_have_text(question_3)
    expect(page.get_by_text("Saved — in an adaptive test answers can't be changed")).to_be_visible()
    saved = page.get_by_role("radio", name=picked).or_(page.get_by_role("checkbox", name=picked))
    expect(saved).to_be_checked()
    expect(saved).to_be_disabled()
    expect(page.get_by_role("button", name="Save and continue")).to_have_count(0)

    page.go_forward()
    expect(_progress(page, 4)).to_be_visible()
    page.get_by_role("button", name="I don't know yet").click()  # an honest answer, not a skip
    expect(_progress(page, 5).or_(page.get_by_role("heading", name=re.compile("^Your level:")))).to_be_visible()
    number = 5
    while number <= HARD_CAP and not page.get_by_role("heading", name=re.compile("^Your level:")).is_visible():
        _answer(page, number)
        number += 1
    expect(page.get_by_role("heading", name=re.compile(r"^Your level: .+ — \d+% sure"))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("quiz$")).first).to_be_visible()
