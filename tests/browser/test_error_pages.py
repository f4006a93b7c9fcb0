import pytest
from playwright.sync_api import Page, expect

from assessments.models import Mentorship
from tests.browser.steps import log_in
from tests.factories import MentorFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_on_a_mentor_page_sees_why_and_finds_the_way_back(live_server, page: Page):
    UserFactory(username="ada")
    log_in(page, live_server.url, "ada")
    response = page.goto(f"{live_server.url}/mentor/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    expect(page.get_by_text("Mentor access is granted by an admin.")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Hello, ada")).to_be_visible()


def test_ending_a_mentorship_asks_first_and_logging_out_says_so(live_server, page: Page):
    Mentorship.objects.create(mentor=MentorFactory(username="mia"), learner=UserFactory(username="ada"))
    log_in(page, live_server.url, "ada")
    page.get_by_role("link", name="Mentors", exact=True).click()
    page.get_by_role("link", name="End mentorship with mia…").click()
    expect(page.get_by_role("heading", name="End mentorship with mia?")).to_be_visible()
    page.get_by_role("link", name="Keep mia").click()
    expect(page.get_by_role("link", name="End mentorship with mia…")).to_be_visible()  # nothing ended
    page.get_by_role("link", name="End mentorship with mia…").click()
    page.get_by_role("button", name="End mentorship").click()
    expect(page.get_by_text("mia no longer mentors you")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()
