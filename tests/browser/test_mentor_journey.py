import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.models import Mentorship
from roadmap.compute import roadmap_recompute
from tests.browser.steps import log_in
from tests.conftest import rated
from tests.factories import MentorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_mentor_rates_and_comments_and_the_learner_sees_it(
    live_server, page: Page, roadmap_world, celery_live_worker
):
    learner = rated(roadmap_world)["learner"]
    learner.last_login = timezone.now() - timedelta(days=20)
    learner.save()
    roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    Mentorship.objects.create(mentor=MentorFactory(username="mia"), learner=learner)

    log_in(page, live_server.url, "mia")
    page.get_by_role("link", name="Mentees").click()
    row = page.get_by_role("row", name="ada")
    expect(row).to_contain_text("Inactive for 14 days")
    row.get_by_role("link", name="ada").click()

    expect(page.get_by_role("heading", name="ada", exact=True)).to_be_visible()
    page.locator("summary", has_text=roadmap_world["quiz"].area.name).click()
    rating = page.locator(f"#competency-{roadmap_world['sql'].slug}")
    rating.get_by_label("Your rating").select_option("2")
    rating.get_by_label("Evidence: what the rating is based on").fill("Rewrote the monthly report query in PR 7")
    rating.get_by_label("Evidence link (optional)").fill("https://git.example.com/pr/7")
    rating.get_by_role("button", name="Save rating of SQL querying").click()
    expect(page.get_by_text("Rated SQL querying.")).to_be_visible()
    # The rating recomputes ada's roadmap (version 2); the page refreshes itself once it is ready.
    expect(page.locator("#roadmap")).to_have_attribute("data-version", "2")

    step = page.locator("li.step", has_text="SQL querying").first
    step.get_by_text("Why, resources, notes and comments").click()
    step.get_by_label("Add a comment on SQL querying").fill("Try window functions next")
    step.get_by_role("button", name="Post comment").click()
    expect(step.locator(".comments")).to_contain_text("Try window functions next")

    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "ada")
    unread = page.get_by_role("link", name=re.compile(r"^Notifications \d+ unread$"))
    expect(unread).to_be_visible()
    unread.click()
    expect(page.get_by_text("mia commented on your SQL querying.")).to_be_visible()
    expect(page.get_by_text("mia rated your SQL querying: Working (2).")).to_be_visible()

    page.get_by_role("link", name="Roadmap", exact=True).click()
    expect(page.locator("#roadmap")).to_have_attribute("data-version", "2")
    learner_step = page.locator("li.step", has_text="SQL querying").first
    learner_step.get_by_text("Why, resources, notes and comments").click()
    expect(learner_step.locator(".comments")).to_contain_text("Try window functions next")
