import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from roadmap.compute import roadmap_recompute
from roadmap.models import RoadmapStep
from tests.browser.steps import log_in
from tests.conftest import rated

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_sees_the_roadmap_after_a_quiz_and_a_done_step_stays_done(
    live_server, page: Page, roadmap_world, celery_live_worker
):
    log_in(page, live_server.url, "ada")

    page.get_by_role("link", name="Quizzes").click()
    page.get_by_role("button", name="Start Databases").click()
    page.get_by_label("Right 0").check()
    expect(page.locator("#answer-status")).to_contain_text("Saved at")
    page.get_by_role("link", name="Overview and submit").click()
    page.get_by_role("button", name="Submit the attempt").click()
    expect(page.get_by_text("Score: 50%")).to_be_visible()

    page.get_by_role("link", name="Roadmap").click()
    # The quiz measured SQL querying (one right answer: Working, so its step is Senior's); Query
    # tuning has no questions in it, so it is not assessed yet: a "find out" card, not a learning
    # step from zero.
    expect(page.get_by_role("heading", name="Milestone 1: Senior")).to_be_visible()
    expect(page.locator("#find-out")).to_contain_text("Query tuning")
    sql_step = page.locator("li.step")
    expect(sql_step).to_have_count(1)
    expect(sql_step).to_contain_text("SQL querying")
    expect(page.locator("#roadmap")).to_have_attribute("data-version", "1")
    sql_step.get_by_text("Why, resources, notes and comments").click()
    sql_status = sql_step.get_by_label("Status")
    sql_status.focus()
    sql_status.select_option("done")
    expect(page.get_by_text("1 of 1 steps finished")).to_be_visible()
    # The roadmap re-rendered, and the learner kept their place.
    expect(sql_step.get_by_label("Status")).to_be_focused()
    expect(sql_step.locator("details")).to_have_attribute("open", "")

    # Finding out: rating Query tuning turns the card into learning steps; the done step stays done.
    page.get_by_role("link", name=f"Rate yourself in {roadmap_world['quiz'].area.name}").click()
    rating = page.locator(f"#competency-{roadmap_world['tuning'].slug}")
    rating.get_by_label("1 · Aware").check()
    expect(rating.get_by_role("status")).to_contain_text("Saved: Aware (1)")

    page.get_by_role("link", name="Roadmap").click()
    expect(page.locator("#roadmap")).to_have_attribute("data-version", "2")
    expect(page.locator("#find-out")).to_have_count(0)
    expect(page.locator("li.step", has_text="Query tuning").first).to_be_visible()
    expect(page.locator("li.step", has_text="SQL querying").get_by_label("Status")).to_have_value("done")
    assert RoadmapStep.objects.get(competency=roadmap_world["sql"]).status == "done"


def test_on_a_phone_a_learner_opens_a_step_from_the_map_with_the_keyboard_and_ticks_it(
    live_server, page: Page, roadmap_world
):
    rated(roadmap_world)
    roadmap_recompute(learner_id=roadmap_world["learner"].pk, now=timezone.now())
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "ada")
    page.goto(f"{live_server.url}/roadmap/map/")
    nodes = page.locator("a.node")
    expect(nodes).to_have_count(4)
    # Readable on a phone: the map scrolls sideways at full size instead of shrinking its text.
    assert nodes.first.bounding_box()["width"] >= 200
    for _ in range(60):  # Tab through the page until a node has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('node')"):
            break
    focused = page.locator("a.node:focus")
    expect(focused).to_have_count(1)
    name = focused.get_attribute("aria-label").split(",")[0]
    page.keyboard.press("Enter")
    status = page.locator("li.step:target").get_by_label("Status")
    expect(status).to_be_focused()
    expect(page.locator("li.step:target h3")).to_have_text(name)
    status.select_option("done")
    expect(page.get_by_text("1 of 4 steps finished")).to_be_visible()
    page.goto(f"{live_server.url}/roadmap/map/")
    expect(page.locator("a.node.node-done")).to_have_count(1)
