"""Code in a question on a 390 px phone: a code font, and a long block scrolls inside its box."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.steps import log_in
from tests.factories import CompetencyFactory, QuizFactory, UserFactory, question_with_choices

pytestmark = pytest.mark.django_db(transaction=True)

LONG_LINE = "SELECT o.id, SUM(p.amount) AS paid FROM orders o LEFT JOIN payments p ON p.order_id = o.id GROUP BY o.id;"


def _page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_long_code_block_scrolls_inside_the_question_not_the_page(live_server, page: Page):
    quiz = QuizFactory(title="Databases")
    question = question_with_choices(
        quiz=quiz,
        competency=CompetencyFactory(area=quiz.area),
        text=f"What does `paid` hold for an order with two shipments?\n\n```sql\n{LONG_LINE}\n```",
        explanation=f"The join multiplies rows:\n\n```sql\n{LONG_LINE}\n```",
    )
    # A long word written without backticks, as the shipped bank has them, wraps too.
    question.choices.filter(is_correct=False).update(text="Product.objects.filter(pk=pk).update(stock=F('stock')-1)")
    UserFactory(username="ada")
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "ada")
    page.goto(f"{live_server.url}/quizzes/")
    page.get_by_role("button", name="Start Databases").click()

    heading = page.get_by_role("heading", name="What does paid hold for an order with two shipments?")
    expect(heading).to_be_visible()
    assert "monospace" in heading.locator("code").evaluate("e => getComputedStyle(e).fontFamily")
    block = page.locator(".question-more pre")
    assert block.evaluate("e => e.scrollWidth > e.clientWidth"), "the block scrolls sideways"
    assert _page_width(page) <= 390
    block.focus()  # reachable from the keyboard, so what is scrolled off can be read
    expect(block).to_be_focused()

    page.get_by_label("Right 0").check()
    expect(page.locator("#answer-status")).to_contain_text("Saved at")
    page.get_by_role("link", name="Overview and submit").click()
    page.get_by_role("button", name="Submit the attempt").click()
    expect(page.get_by_text("Score: 100%")).to_be_visible()
    expect(page.locator(".explanation pre")).to_be_visible()
    assert _page_width(page) <= 390
