"""Admin-written Markdown on the pages that show content: code in a code font, nothing injected runs."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.content import content_load
from assessments.models import Attempt, PlacementTest
from assessments.placement_tests import placement_current
from tests.factories import (
    CompetencyFactory,
    ExpectationFactory,
    LevelFactory,
    QuizFactory,
    question_with_choices,
    right_choice,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
INJECTED = "<script>alert(1)</script>"


def _no_injection(html: str) -> None:
    assert INJECTED not in html
    assert not re.search(r"<[^>]*\son\w+=", html), "no element carries an event handler"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, "shown as the text it is"


def _quiz_with(text: str, *, explanation: str = "Why.", choice: str = "Choice") -> tuple:
    quiz = QuizFactory()
    question = question_with_choices(
        quiz=quiz, competency=CompetencyFactory(area=quiz.area), text=text, explanation=explanation, wrong=1
    )
    question.choices.filter(is_correct=True).update(text=choice)
    return quiz, question


def _start(client, quiz) -> Attempt:
    client.post(reverse("quiz_start", args=[quiz.slug]))
    return Attempt.objects.get(quiz=quiz, state="open")


def test_the_quiz_question_shows_its_code_and_runs_nothing_injected(client, learner):
    quiz, _ = _quiz_with(f"What does `next()` do? {INJECTED}", choice='Calls `next()` <img src=x onerror="alert(1)">')
    attempt = _start(client, quiz)
    url = reverse("attempt_question", args=[attempt.pk, 1])
    for html in (client.get(url).content.decode(), client.get(url, **HTMX).content.decode()):
        assert re.search(r'<h2 class="question-text"[^>]*>What does <code>next\(\)</code> do\?', html)
        assert "<span>Calls <code>next()</code> &lt;img" in html
        _no_injection(html)


def test_a_code_block_in_a_question_follows_its_heading(client, learner):
    quiz, _ = _quiz_with("What does this print?\n\n```python\nprint(1 < 2)\n```")
    attempt = _start(client, quiz)
    html = client.get(reverse("attempt_question", args=[attempt.pk, 1])).content.decode()
    assert re.search(r"What does this print\?</h2>.*?</legend>\s*<div class=\"question-more prose\">", html, re.S)
    assert '<pre tabindex="0"><code>print(1 &lt; 2)\n</code></pre>' in html


def test_the_results_review_shows_code_in_question_choices_and_explanation(client, learner):
    quiz, question = _quiz_with(
        f"Which index serves `ORDER BY id`? {INJECTED}",
        explanation="A B-tree on `id`.\n\n```sql\nCREATE INDEX ON t (id);\n```",
        choice="A B-tree on `id`",
    )
    attempt = _start(client, quiz)
    client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": [right_choice(question).pk]})
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    html = client.get(reverse("attempt_results", args=[attempt.pk])).content.decode()
    assert "<p>Which index serves <code>ORDER BY id</code>?" in html
    assert "<li>A B-tree on <code>id</code>" in html
    assert "<p><strong>Why:</strong> A B-tree on <code>id</code>.</p>" in html
    assert '<pre tabindex="0"><code>CREATE INDEX ON t (id);\n</code></pre>' in html
    _no_injection(html)


def test_the_matrix_shows_code_in_cells_and_descriptions(client):
    competency = CompetencyFactory(description="Reads `EXPLAIN` output.")
    competency.area.description = "Data *and* queries."
    competency.area.save()
    ExpectationFactory(competency=competency, level=LevelFactory(), description=f"Runs `EXPLAIN ANALYZE`. {INJECTED}")
    html = client.get(reverse("matrix")).content.decode()
    assert '<div class="prose"><p>Runs <code>EXPLAIN ANALYZE</code>. &lt;script&gt;' in html
    assert '<span class="muted small">Reads <code>EXPLAIN</code> output.</span>' in html
    assert "<p>Data <em>and</em> queries.</p>" in html
    _no_injection(html)


@pytest.fixture
def shipped(db):
    call_command("import_content", verbosity=0)
    return content_load(fresh=True)


def test_the_placement_question_shows_its_code(client, learner, shipped):
    client.post(reverse("placement_start"))
    asked = placement_current(PlacementTest.objects.get(state="open"))
    asked.question.text = f"What does `SELECT 1` return? {INJECTED}"
    asked.question.save(update_fields=["text"])
    html = client.get(reverse("placement_question", args=[asked.test.pk, asked.position])).content.decode()
    assert re.search(r'<h2 class="question-text">What does <code>SELECT 1</code> return\?', html)
    _no_injection(html)
