import pytest
from playwright.sync_api import Page, expect

from assessments.models import Attempt, Response, SelfRating
from tests.browser.steps import log_in, sign_up
from tests.factories import (
    CompetencyFactory,
    ExpectationFactory,
    LevelFactory,
    QuizFactory,
    UserFactory,
    question_with_choices,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content():
    levels = [
        LevelFactory(slug=s, name=n, order=i, years_min=y)
        for i, (s, n, y) in enumerate(
            [("junior", "Junior", 0), ("developer", "Backend Developer", 2), ("senior", "Senior", 5)], 1
        )
    ]
    quiz = QuizFactory(title="Databases", retake_after_days=0)
    sql = CompetencyFactory(area=quiz.area, name="SQL querying")
    for level, proficiency in zip(levels, (1, 2, 3), strict=True):
        ExpectationFactory(competency=sql, level=level, proficiency=proficiency, description=f"{level.name} SQL work.")
    for n in range(3):
        question_with_choices(
            quiz=quiz,
            competency=sql,
            order=n,
            text=f"Database question {n + 1}?",
            explanation=f"Because of rule {n + 1}.",
        )
    return quiz


def test_a_learner_signs_up_rates_takes_a_quiz_and_sees_results(live_server, page: Page, content):
    page.goto(f"{live_server.url}/accounts/signup/")
    sign_up(page, "ada")
    page.get_by_label("Your current role").fill("API developer")
    page.get_by_label("Years of backend experience").fill("1")
    page.get_by_label("Your target level").select_option(label="Senior")
    page.get_by_role("button", name="Continue to self-assessment").click()

    expect(page.get_by_role("heading", name="Self-assessment")).to_be_visible()
    page.get_by_role("link", name=content.area.name).click()
    expect(page.get_by_text("Senior SQL work.")).to_be_visible()
    page.get_by_label("2 · Working").check()
    expect(page.locator("#rating-status-" + content.questions.first().competency.slug)).to_contain_text(
        "Saved: Working (2)"
    )
    assert SelfRating.objects.get().proficiency == 2

    page.get_by_role("link", name="Quizzes").click()
    page.get_by_role("button", name="Start Databases").click()
    expect(page.get_by_role("heading", name="Database question 1?")).to_be_visible()
    page.get_by_label("Right 0").check()
    expect(page.locator("#answer-status")).to_contain_text("Saved at")
    page.get_by_role("link", name="Next →").click()
    expect(page.get_by_role("heading", name="Database question 2?")).to_be_visible()
    expect(page.get_by_role("heading", name="Database question 2?")).to_be_focused()
    page.get_by_label("Wrong 0").check()
    expect(page.locator("#answer-status")).to_contain_text("Saved at")
    expect(page.locator("#answered-count")).to_have_text("2 of 3 answered")

    page.reload()
    expect(page.get_by_role("heading", name="Database question 2?")).to_be_visible()
    expect(page.get_by_label("Wrong 0")).to_be_checked()
    page.get_by_role("link", name="← Previous").click()
    expect(page.get_by_label("Right 0")).to_be_checked()

    page.get_by_role("link", name="Overview and submit").click()
    expect(page.get_by_text("1 question not answered yet")).to_be_visible()
    page.get_by_role("button", name="Submit the attempt").click()

    expect(page.get_by_text("Score: 33%")).to_be_visible()
    expect(page.get_by_text("Because of rule 2.")).to_be_visible()
    assert Attempt.objects.get().state == "submitted"

    page.get_by_role("link", name="See your overall results and level").click()
    expect(page.locator("#radar-chart")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#history-chart")).to_have_attribute("data-drawn", "true")
    summary = page.locator(".summary")
    expect(summary.get_by_role("heading", name="Strongest")).to_be_visible()
    expect(summary.get_by_role("link", name=content.area.name)).to_be_visible()
    page.get_by_text("The chart's figures as a table").click()  # the figures behind the chart, on demand
    expect(page.get_by_role("rowheader", name=content.area.name).first).to_be_visible()


def _answer_the_first_question(page: Page, base: str) -> None:
    UserFactory(username="ada")
    log_in(page, base, "ada")
    page.get_by_role("link", name="Quizzes").click()
    page.get_by_role("button", name="Start Databases").click()
    expect(page.get_by_role("heading", name="Database question 1?")).to_be_visible()
    page.get_by_label("Right 0").check()
    expect(page.locator("#answer-status")).to_contain_text("Saved at")


def test_browser_back_shows_the_saved_answer_and_saving_again_keeps_it(live_server, page: Page, content):
    _answer_the_first_question(page, live_server.url)
    page.get_by_role("link", name="Next →").click()
    expect(page.get_by_role("heading", name="Database question 2?")).to_be_visible()
    page.get_by_label("Wrong 1").check()
    expect(page.locator("#answer-status")).to_contain_text("Saved at")
    page.get_by_role("link", name="Next →").click()
    expect(page.get_by_role("heading", name="Database question 3?")).to_be_visible()

    page.go_back()
    expect(page.get_by_role("heading", name="Database question 2?")).to_be_visible()
    expect(page.get_by_label("Wrong 1")).to_be_checked()  # what the server holds, not an empty snapshot
    page.get_by_role("button", name="Save and next").click()
    expect(page.get_by_role("heading", name="Database question 3?")).to_be_visible()
    second = Response.objects.get(question__text="Database question 2?")
    assert [c.text for c in second.choices.all()] == ["Wrong 1"]


def test_a_failed_autosave_says_so_and_keeps_the_answer(live_server, page: Page, content):
    _answer_the_first_question(page, live_server.url)

    # The server fails the next save: the earlier "Saved" must not stay, and the pick must.
    page.route("**/answer/**", lambda route: route.fulfill(status=500, body="boom"))
    page.get_by_label("Wrong 0").check()
    alert = page.locator("#answer-status").get_by_role("alert")
    expect(alert).to_contain_text("Not saved: the server had a problem (error 500)")
    expect(page.get_by_label("Wrong 0")).to_be_checked()

    # The server cannot be reached at all.
    page.unroute("**/answer/**")
    page.route("**/answer/**", lambda route: route.abort("connectionrefused"))
    page.get_by_label("Wrong 1").check()
    expect(alert).to_contain_text("Not saved: the server could not be reached")
    expect(page.get_by_label("Wrong 1")).to_be_checked()

    # Back online: changing the answer again saves it.
    page.unroute("**/answer/**")
    page.get_by_label("Wrong 0").check()
    expect(page.locator("#answer-status")).to_contain_text("Saved at")
    assert [c.text for c in Response.objects.get(question__text="Database question 1?").choices.all()] == ["Wrong 0"]
