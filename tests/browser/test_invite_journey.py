from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.models import Level, MentorInvite, Mentorship
from tests.browser.steps import sign_up
from tests.factories import MentorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_newcomer_opens_an_invite_link_signs_up_onboards_and_accepts(live_server, page: Page):
    Level.objects.create(slug="senior", name="Senior", order=3)
    mentor = MentorFactory(username="mia")
    now = timezone.now()
    MentorInvite.objects.create(mentor=mentor, code="join-mia", created_at=now, expires_at=now + timedelta(days=14))

    page.goto(f"{live_server.url}/mentors/join/join-mia/")
    expect(page.get_by_role("heading", name="mia invites you")).to_be_visible()
    page.get_by_role("link", name="Sign up to accept").click()

    sign_up(page, "newt")
    page.get_by_label("Years of backend experience").fill("1")
    page.get_by_label("Your target level").select_option(label="Senior")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="mia invites you")).to_be_visible()  # back at the invite
    page.get_by_role("button", name="Accept mia as my mentor").click()
    expect(page.get_by_text("mia is now your mentor.")).to_be_visible()
    expect(page.locator(".mentor-list")).to_contain_text("mia")
    assert Mentorship.objects.active().filter(mentor=mentor, learner__username="newt").exists()
