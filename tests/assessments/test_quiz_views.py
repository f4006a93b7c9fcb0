import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.attempts import attempt_submit, expired_attempts_close
from assessments.models import Attempt, Response
from tests.factories import (
    AttemptFactory,
    CompetencyFactory,
    QuizFactory,
    UserFactory,
    question_with_choices,
    quiz_with_questions,
    right_choice,
    wrong_choice,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def quiz():
    return quiz_with_questions(count=3)


def _start(client, quiz) -> Attempt:
    response = client.post(reverse("quiz_start", args=[quiz.slug]))
    assert response.status_code == 302
    return Attempt.objects.get(quiz=quiz, state="open")


def _answer(client, attempt, number, *choices, htmx=True):
    url = reverse("attempt_answer", args=[attempt.pk, number])
    return client.post(url, {"choice": [str(c) for c in choices]}, **(HTMX if htmx else {}))


def _questions(quiz):
    return list(quiz.questions.order_by("order", "id"))


# --- starting and resuming -----------------------------------------------------------------


def test_starting_creates_one_attempt_and_coming_back_resumes_it(client, learner, quiz):
    attempt = _start(client, quiz)
    assert _start(client, quiz) == attempt
    assert Attempt.objects.filter(learner=learner, quiz=quiz).count() == 1


def test_resume_goes_to_the_first_unanswered_question(client, learner, quiz):
    attempt = _start(client, quiz)
    _answer(client, attempt, 1, right_choice(_questions(quiz)[0]).pk)
    response = client.get(reverse("attempt", args=[attempt.pk]))
    assert response.url == reverse("attempt_question", args=[attempt.pk, 2])


def test_a_timed_quiz_stores_its_deadline(client, learner):
    timed = quiz_with_questions(time_limit_minutes=20)
    attempt = _start(client, timed)
    assert attempt.deadline - attempt.started_at == timedelta(minutes=20)


def test_a_retake_waits_for_the_quizs_waiting_period(client, learner):
    quiz = quiz_with_questions(retake_after_days=7)
    attempt = _start(client, quiz)
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    response = client.post(reverse("quiz_start", args=[quiz.slug]), follow=True)
    assert "You can retake this quiz from" in response.content.decode()
    assert Attempt.objects.filter(learner=learner, quiz=quiz).count() == 1


def test_a_retake_is_allowed_once_the_waiting_period_is_over(client, learner):
    quiz = quiz_with_questions(retake_after_days=7)
    attempt = _start(client, quiz)
    attempt_submit(attempt_id=attempt.pk, now=timezone.now() - timedelta(days=8))
    assert _start(client, quiz) != attempt


def test_starting_an_unknown_quiz_is_404(client, learner):
    assert client.post(reverse("quiz_start", args=["no-such-quiz"])).status_code == 404


def test_starting_needs_post(client, learner, quiz):
    assert client.get(reverse("quiz_start", args=[quiz.slug])).status_code == 405


# --- answering -----------------------------------------------------------------------------


def test_an_answer_is_saved_the_moment_it_is_given(client, learner, quiz):
    attempt = _start(client, quiz)
    question = _questions(quiz)[0]
    response = _answer(client, attempt, 1, wrong_choice(question).pk)
    assert response.status_code == 200
    assert "Saved at" in response.content.decode()
    assert list(Response.objects.get(attempt=attempt, question=question).choices.all()) == [wrong_choice(question)]


def test_changing_an_answer_replaces_it(client, learner, quiz):
    attempt = _start(client, quiz)
    question = _questions(quiz)[0]
    _answer(client, attempt, 1, wrong_choice(question).pk)
    _answer(client, attempt, 1, right_choice(question).pk)
    response = Response.objects.get(attempt=attempt, question=question)
    assert list(response.choices.all()) == [right_choice(question)]


def test_answers_are_there_after_a_reload(client, learner, quiz):
    attempt = _start(client, quiz)
    choice = wrong_choice(_questions(quiz)[1])
    _answer(client, attempt, 2, choice.pk)
    page = client.get(reverse("attempt_question", args=[attempt.pk, 2])).content.decode()
    assert re.search(rf'value="{choice.pk}"\s+checked', page)


def test_without_javascript_an_answer_saves_and_moves_on(client, learner, quiz):
    attempt = _start(client, quiz)
    response = _answer(client, attempt, 1, right_choice(_questions(quiz)[0]).pk, htmx=False)
    assert response.url == reverse("attempt_question", args=[attempt.pk, 2])
    response = _answer(client, attempt, 3, right_choice(_questions(quiz)[2]).pk, htmx=False)
    assert response.url == reverse("attempt_overview", args=[attempt.pk])
    url = reverse("attempt_answer", args=[attempt.pk, 2])
    response = client.post(url, {"choice": [wrong_choice(_questions(quiz)[1]).pk], "go": "overview"})
    assert response.url == reverse("attempt_overview", args=[attempt.pk])
    assert Response.objects.filter(attempt=attempt).count() == 3


def test_an_htmx_request_for_a_question_of_a_submitted_attempt_moves_the_whole_page(client, learner, quiz):
    attempt = _start(client, quiz)
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    response = client.get(reverse("attempt_question", args=[attempt.pk, 1]), **HTMX)
    assert response["HX-Redirect"] == reverse("attempt_results", args=[attempt.pk])


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("unknown", "does not belong to this question"),
        ("other_question", "does not belong to this question"),
        ("two_on_single", "takes a single answer"),
        ("not_a_number", "not one of the options"),
        ("huge_number", "not one of the options"),
        ("negative", "not one of the options"),
    ],
)
def test_bad_answers_get_a_clear_error_and_change_nothing(client, learner, quiz, case, message):
    attempt = _start(client, quiz)
    first, second = _questions(quiz)[:2]
    _answer(client, attempt, 1, wrong_choice(first).pk)
    choices = {
        "unknown": [999999],
        "other_question": [right_choice(second).pk],
        "two_on_single": [right_choice(first).pk, wrong_choice(first).pk],
        "not_a_number": ["abc"],
        "huge_number": ["9" * 30],
        "negative": ["-5"],
    }[case]
    for htmx in (True, False):
        response = _answer(client, attempt, 1, *choices, htmx=htmx)
        assert response.status_code == (422 if htmx else 400)
        assert message in response.content.decode()
    assert list(Response.objects.get(attempt=attempt, question=first).choices.all()) == [wrong_choice(first)]


def test_answering_a_submitted_attempt_is_refused(client, learner, quiz):
    attempt = _start(client, quiz)
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    response = _answer(client, attempt, 1, right_choice(_questions(quiz)[0]).pk)
    assert response.status_code == 422
    assert "already submitted" in response.content.decode()
    assert not Response.objects.get(attempt=attempt, question=_questions(quiz)[0]).choices.exists()


def test_a_question_number_outside_the_quiz_is_404(client, learner, quiz):
    attempt = _start(client, quiz)
    assert client.get(reverse("attempt_question", args=[attempt.pk, 99])).status_code == 404
    assert client.get(reverse("attempt_question", args=[attempt.pk, 0])).status_code == 404
    assert _answer(client, attempt, 42, 1).status_code == 404


# --- deadlines ----------------------------------------------------------------------------


def _expired_attempt(learner, quiz) -> Attempt:
    started = timezone.now() - timedelta(minutes=40)
    return AttemptFactory(learner=learner, quiz=quiz, started_at=started, deadline=started + timedelta(minutes=30))


def test_an_answer_after_the_deadline_is_refused_and_the_attempt_submitted(client, learner):
    quiz = quiz_with_questions(time_limit_minutes=30)
    attempt = _expired_attempt(learner, quiz)
    response = _answer(client, attempt, 1, right_choice(_questions(quiz)[0]).pk)
    assert response.status_code == 422
    assert "Time is up" in response.content.decode()
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.auto_submitted and attempt.score == 0
    assert not Response.objects.filter(attempt=attempt, choices__isnull=False).exists()


def test_opening_an_expired_attempt_submits_it(client, learner):
    quiz = quiz_with_questions(time_limit_minutes=30)
    attempt = _expired_attempt(learner, quiz)
    response = client.get(reverse("attempt_question", args=[attempt.pk, 1]))
    assert response.url == reverse("attempt_results", args=[attempt.pk])
    attempt.refresh_from_db()
    assert attempt.state == "submitted"


def test_the_periodic_job_closes_expired_attempts_only():
    quiz = quiz_with_questions(time_limit_minutes=30)
    expired = _expired_attempt(UserFactory(), quiz)
    running = AttemptFactory(quiz=quiz, started_at=timezone.now(), deadline=timezone.now() + timedelta(minutes=30))
    untimed = AttemptFactory(quiz=quiz, started_at=timezone.now() - timedelta(days=3))
    assert expired_attempts_close(now=timezone.now()) == 1
    states = {a.pk: a.state for a in Attempt.objects.all()}
    assert states == {expired.pk: "submitted", running.pk: "open", untimed.pk: "open"}


# --- submitting and results ---------------------------------------------------------------


def test_submit_scores_and_shows_the_review(client, learner, quiz):
    attempt = _start(client, quiz)
    questions = _questions(quiz)
    _answer(client, attempt, 1, right_choice(questions[0]).pk)
    _answer(client, attempt, 2, wrong_choice(questions[1]).pk)
    response = client.post(reverse("attempt_submit", args=[attempt.pk]), follow=True)
    attempt.refresh_from_db()
    assert attempt.state == "submitted" and attempt.score == pytest.approx(1 / 3)
    body = response.content.decode()
    assert "Secret explanation 0." in body and "not answered" in body and "33%" in body


def test_a_double_submit_is_refused_cleanly(client, learner, quiz):
    attempt = _start(client, quiz)
    client.post(reverse("attempt_submit", args=[attempt.pk]))
    submitted_at = Attempt.objects.get(pk=attempt.pk).submitted_at
    response = client.post(reverse("attempt_submit", args=[attempt.pk]), follow=True)
    assert response.status_code == 200
    assert "already submitted; nothing changed" in response.content.decode()
    assert Attempt.objects.get(pk=attempt.pk).submitted_at == submitted_at


def test_results_of_an_open_attempt_are_not_shown(client, learner, quiz):
    attempt = _start(client, quiz)
    response = client.get(reverse("attempt_results", args=[attempt.pk]))
    assert response.url == reverse("attempt_overview", args=[attempt.pk])


# --- nothing leaks before submission -----------------------------------------------------


def _choice_markup(html: str) -> list[str]:
    labels = re.findall(r'<label class="choice">(.*?)</label>', html, re.S)
    return [re.sub(r'value="\d+"|<span>.*?</span>|\s+', "", label) for label in labels]


def test_open_attempt_pages_never_contain_correctness_or_explanations(client, learner):
    quiz = quiz_with_questions(count=2)
    question_with_choices(quiz=quiz, correct=2, wrong=2, explanation="Secret multiple explanation.")
    attempt = _start(client, quiz)
    pages = [client.get(reverse("attempt_question", args=[attempt.pk, n])) for n in (1, 2, 3)]
    pages += [client.get(reverse("attempt_question", args=[attempt.pk, n]), **HTMX) for n in (1, 2, 3)]
    pages.append(_answer(client, attempt, 1, right_choice(_questions(quiz)[0]).pk))
    pages.append(client.get(reverse("attempt_overview", args=[attempt.pk])))
    for page in pages:
        html = page.content.decode()
        assert "explanation" not in html.lower()
        assert "is_correct" not in html and "correct" not in html.lower()
        markup = _choice_markup(html)
        assert len(set(markup)) <= 1, "right and wrong choices must render identically"


# --- choice order ------------------------------------------------------------------------


def _shown_order(html: str) -> list[str]:
    return re.findall(r'<label class="choice">.*?<span>(.*?)</span>', html, re.S)


def test_choices_are_shuffled_per_attempt_and_stay_put_within_one(client):
    """The key's position gives nothing away, and an attempt shows the same order on every screen."""
    quiz = QuizFactory(retake_after_days=0)
    question = question_with_choices(quiz=quiz, competency=CompetencyFactory(area=quiz.area), correct=1, wrong=5)
    # A retired choice (removed from the content, kept for old answers) is never part of a new attempt.
    question.choices.create(text="Retired 0", is_correct=False, retired=True, order=0)
    orders = set()
    for _ in range(6):
        client.force_login(UserFactory())
        attempt = _start(client, quiz)
        url = reverse("attempt_question", args=[attempt.pk, 1])
        order = _shown_order(client.get(url).content.decode())
        assert sorted(order) == ["Right 0"] + [f"Wrong {i}" for i in range(5)]
        assert _shown_order(client.get(url, **HTMX).content.decode()) == order
        client.post(reverse("attempt_submit", args=[attempt.pk]))
        review = client.get(reverse("attempt_results", args=[attempt.pk])).content.decode()
        assert re.findall(r"<li>(Right \d|Wrong \d)", review) == order
        orders.add(tuple(order))
    assert len(orders) > 1


# --- one learner cannot touch another's attempt --------------------------------------------


def test_another_learners_attempt_is_404_everywhere(client, quiz):
    owner = UserFactory()
    attempt = AttemptFactory(learner=owner, quiz=quiz)
    client.force_login(UserFactory())
    question = _questions(quiz)[0]
    gets = ["attempt", "attempt_overview", "attempt_results"]
    for name in gets:
        assert client.get(reverse(name, args=[attempt.pk])).status_code == 404, name
    assert client.get(reverse("attempt_question", args=[attempt.pk, 1])).status_code == 404
    assert _answer(client, attempt, 1, right_choice(question).pk).status_code == 404
    assert client.post(reverse("attempt_submit", args=[attempt.pk])).status_code == 404
    assert not Response.objects.filter(attempt=attempt).exists()
    assert Attempt.objects.get(pk=attempt.pk).state == "open"


def test_anonymous_visitors_are_sent_to_log_in(client, quiz):
    attempt = AttemptFactory(quiz=quiz)
    for url in [reverse("quiz_list"), reverse("attempt", args=[attempt.pk]), reverse("results"), reverse("dashboard")]:
        response = client.get(url)
        assert response.status_code == 302 and reverse("login") in response.url


def test_an_empty_save_from_a_page_that_lost_its_picks_keeps_the_saved_answer(client, learner):
    quiz = quiz_with_questions(count=2)
    client.post(reverse("quiz_start", args=[quiz.slug]))
    attempt = Attempt.objects.get(learner=learner)
    first = quiz.questions.order_by("order").first()
    client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": [right_choice(first).pk]})
    # Browser Back restored a page without the pick; the learner presses "Save and next".
    response = client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"go": "next"})
    assert response.status_code == 302
    assert list(Response.objects.get(attempt=attempt, question=first).choices.all()) == [right_choice(first)]


def test_unticking_the_last_option_clears_the_answer_on_purpose(client, learner):
    quiz = quiz_with_questions(count=2)
    client.post(reverse("quiz_start", args=[quiz.slug]))
    attempt = Attempt.objects.get(learner=learner)
    first = quiz.questions.order_by("order").first()
    client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": [right_choice(first).pk]})
    client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {}, HTTP_HX_REQUEST="true")
    assert not Response.objects.get(attempt=attempt, question=first).choices.exists()


def test_the_review_is_hidden_while_a_retake_of_the_quiz_is_open(client, learner):
    quiz = quiz_with_questions(count=2, retake_after_days=0)
    client.post(reverse("quiz_start", args=[quiz.slug]))
    first = Attempt.objects.get(learner=learner)
    client.post(reverse("attempt_submit", args=[first.pk]))
    review = reverse("attempt_results", args=[first.pk])
    assert "Secret explanation 0." in client.get(review).content.decode()

    client.post(reverse("quiz_start", args=[quiz.slug]))
    retake = Attempt.objects.get(learner=learner, state="open")
    page = client.get(review).content.decode()
    assert "Secret explanation" not in page and "· correct" not in page
    assert "hidden while your retake of this quiz is open" in page
    client.post(reverse("attempt_submit", args=[retake.pk]))
    assert "Secret explanation 0." in client.get(review).content.decode()
