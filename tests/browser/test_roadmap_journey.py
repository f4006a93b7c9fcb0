import pytest
from playwright.sync_api import Page, expect

from roadmap.models import RoadmapStep
from tests.browser.steps import log_in

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
    # One right answer (the other question skipped, which is not evidence) is too little to be sure
    # of Backend Developer's SQL: both steps start in that milestone.
    expect(page.get_by_role("heading", name="Milestone 1: Backend Developer")).to_be_visible()
    sql_step = page.locator("li.step", has_text="SQL querying")
    expect(page.locator("li.step")).to_have_count(2)
    expect(page.locator("#roadmap")).to_have_attribute("data-version", "1")

    tuning_step = page.locator("li.step").filter(has=page.get_by_role("heading", name="Query tuning"))
    tuning_step.get_by_text("Why, resources, notes and comments").click()
    sql_status = sql_step.get_by_label("Status")
    sql_status.focus()
    sql_status.select_option("done")
    expect(page.get_by_text("1 of 2 steps finished")).to_be_visible()
    # The roadmap re-rendered, and the learner kept their place.
    expect(sql_step.get_by_label("Status")).to_be_focused()
    expect(tuning_step.locator("details")).to_have_attribute("open", "")

    page.get_by_role("link", name="Self-assessment").click()
    page.get_by_role("link", name=roadmap_world["quiz"].area.name).click()
    rating = page.locator(f"#competency-{roadmap_world['sql'].slug}")
    rating.get_by_label("3 · Proficient").check()
    expect(rating.get_by_role("status")).to_contain_text("Saved: Proficient (3)")

    page.get_by_role("link", name="Roadmap").click()
    expect(page.locator("#roadmap")).to_have_attribute("data-version", "2")
    expect(page.locator("li.step", has_text="SQL querying").get_by_label("Status")).to_have_value("done")
    expect(page.get_by_text("1 of 2 steps finished")).to_be_visible()
    assert RoadmapStep.objects.get(competency=roadmap_world["sql"]).status == "done"
