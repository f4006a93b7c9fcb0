"""A learner's browser tells CareerPath its time zone: at sign-up, or later in the background."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from assessments.models import LearnerProfile
from tests.browser.steps import log_in, sign_up
from tests.factories import LevelFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def levels():
    return [LevelFactory(slug=s, name=s.title(), order=i) for i, s in enumerate(["junior", "senior"], 1)]


def _page_in(browser: Browser, **context_args):
    context = browser.new_context(**context_args)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


@pytest.fixture
def tokyo(browser: Browser):
    context, page = _page_in(browser, timezone_id="Asia/Tokyo")
    yield page
    context.close()


def test_a_learner_in_tokyo_signs_up_onboards_and_sees_deadlines_in_tokyo_time(live_server, tokyo: Page, levels):
    quiz_with_questions(title="Databases", time_limit_minutes=30)
    tokyo.goto(f"{live_server.url}/accounts/signup/")
    sign_up(tokyo, "kenji")
    expect(tokyo.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")  # stored with the account
    tokyo.get_by_label("Your target level").select_option(label="Senior")
    tokyo.get_by_role("button", name="Continue to self-assessment").click()
    expect(tokyo.get_by_role("heading", name="Self-assessment")).to_be_visible()

    tokyo.get_by_role("link", name="kenji").click()
    expect(tokyo.get_by_role("heading", name="Your profile")).to_be_visible()
    expect(tokyo.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")
    assert LearnerProfile.objects.get(user__username="kenji").time_zone == "Asia/Tokyo"

    tokyo.get_by_role("link", name="Quizzes").click()
    tokyo.get_by_role("button", name="Start Databases").click()
    expect(tokyo.get_by_text(re.compile(r"Time limit: submit by \d\d:\d\d JST\."))).to_be_visible()


def test_a_learner_without_a_zone_has_it_sent_in_the_background(live_server, tokyo: Page, levels):
    LearnerProfile.objects.create(user=UserFactory(username="ada"))  # signed up before zones were asked
    with tokyo.expect_response(lambda response: response.url.endswith("/profile/time-zone/")) as sent:
        log_in(tokyo, live_server.url, "ada")
    assert sent.value.status == 204
    tokyo.get_by_role("link", name="ada").click()
    expect(tokyo.get_by_label("Your time zone")).to_have_value("Asia/Tokyo")


@pytest.fixture
def tokyo_without_javascript(browser: Browser):
    context, page = _page_in(browser, timezone_id="Asia/Tokyo", java_script_enabled=False)
    yield page
    context.close()


def test_without_javascript_sign_up_works_and_times_stay_in_utc(live_server, tokyo_without_javascript: Page, levels):
    page = tokyo_without_javascript
    page.goto(f"{live_server.url}/accounts/signup/")
    sign_up(page, "grace")
    expect(page.get_by_label("Your time zone")).to_have_value("")
    assert LearnerProfile.objects.get(user__username="grace").time_zone == ""
