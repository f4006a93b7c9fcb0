"""A choice made with the arrow keys is saved once, on Enter or on leaving the control, not at every
key press on the way (a step's status redraws the roadmap; every self-rating is kept as history)."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.models import SelfRating
from roadmap.compute import roadmap_recompute
from roadmap.models import RoadmapStep
from tests.browser.steps import log_in
from tests.conftest import rated

pytestmark = pytest.mark.django_db(transaction=True)

NOT_SAVED_YET = "Not saved yet: press Enter, or move on, to save."


def _posts(page: Page) -> list[str]:
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if request.method == "POST" else None)
    return sent


def test_arrow_keys_on_a_step_status_save_once_on_enter_or_on_moving_on(live_server, page: Page, roadmap_world):
    rated(roadmap_world)
    roadmap_recompute(learner_id=roadmap_world["learner"].pk, now=timezone.now())
    log_in(page, live_server.url, "ada")
    page.goto(f"{live_server.url}/roadmap/")
    posts = _posts(page)
    first = page.locator("li.step").first
    first.get_by_label("Status").focus()
    page.keyboard.press("ArrowDown")  # To do → Doing
    page.keyboard.press("ArrowDown")  # Doing → Done
    expect(first.get_by_role("status")).to_have_text(NOT_SAVED_YET)
    assert posts == [] and not RoadmapStep.objects.filter(status="done").exists()
    page.keyboard.press("Enter")
    expect(page.get_by_text("1 of 4 steps finished")).to_be_visible()
    assert len(posts) == 1 and RoadmapStep.objects.filter(status="done").count() == 1
    expect(page.locator("li.step").first.get_by_label("Status")).to_be_focused()

    second = page.locator("li.step").nth(1)
    second.get_by_label("Status").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(second.get_by_role("status")).to_have_text(NOT_SAVED_YET)
    page.keyboard.press("Tab")  # moving on saves, and the focus stays where the learner went
    expect(page.get_by_text("2 of 4 steps finished")).to_be_visible()
    assert len(posts) == 2
    expect(page.locator("li.step").nth(1).locator("summary")).to_be_focused()


def test_arrow_keys_through_a_rating_scale_record_one_rating(live_server, page: Page, roadmap_world):
    log_in(page, live_server.url, "ada")
    page.goto(f"{live_server.url}/assess/{roadmap_world['quiz'].area.slug}/")
    posts = _posts(page)
    rating = page.locator(f"#competency-{roadmap_world['sql'].slug}")
    rating.get_by_label("0 · None").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(rating.get_by_label("2 · Working")).to_be_checked()
    expect(rating.get_by_role("status")).to_have_text(NOT_SAVED_YET)
    assert posts == [] and not SelfRating.objects.exists()
    page.keyboard.press("Tab")
    expect(rating.get_by_role("status")).to_contain_text("Saved: Working (2)")
    assert len(posts) == 1 and list(SelfRating.objects.values_list("proficiency", flat=True)) == [2]

    rating.get_by_label("4 · Expert").click()  # a click saves at once
    expect(rating.get_by_role("status")).to_contain_text("Saved: Expert (4)")
    assert SelfRating.objects.count() == 2
