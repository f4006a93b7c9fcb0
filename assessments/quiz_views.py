"""Quizzes in the browser: one question per screen, every answer saved the moment it is given.

Nothing rendered before submission carries correctness or explanations: the question templates
only ever see choice ids and texts (``_open_question``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from careerpath.sql import first_row
from roadmap.rechecks import rechecks_asking

from .attempts import (
    AttemptRefused,
    NoSuchQuestion,
    answer_save,
    attempt_start,
    attempt_submit,
    choice_order,
    retake_available_at,
)
from .content import QuizQuestion, quiz_questions
from .models import Attempt, Quiz
from .results import attempt_review


def _get_attempt_for_user(request: HttpRequest, attempt_id: int) -> Attempt:
    """The learner's own attempt, or 404: another learner's attempts do not exist for them."""
    return get_object_or_404(Attempt.objects.select_related("quiz"), pk=attempt_id, learner=request.user)


def _close_if_expired(request: HttpRequest, attempt: Attempt) -> bool:
    now = timezone.now()
    if attempt.is_open and attempt.is_past_deadline(now) and attempt_submit(attempt_id=attempt.pk, now=now, auto=True):
        messages.warning(request, "Time is up: your attempt was submitted with the answers saved before the deadline.")
        return True
    return False


@login_required
def quiz_list(request: HttpRequest) -> HttpResponse:
    quizzes = list(
        Quiz.objects.filter(is_published=True)
        .select_related("area")
        .annotate(question_count=Count("questions"))
        .order_by("area__order", "title")
    )
    attempts = Attempt.objects.filter(learner=request.user).order_by("started_at", "id")
    open_by_quiz: dict[int, Attempt] = {}
    last_by_quiz: dict[int, Attempt] = {}
    for attempt in attempts:
        (open_by_quiz if attempt.is_open else last_by_quiz)[attempt.quiz_id] = attempt
    now = timezone.now()
    rows = []
    for quiz in quizzes:
        last = last_by_quiz.get(quiz.pk)
        available = retake_available_at(quiz=quiz, last_submitted_at=last.submitted_at if last else None)
        rows.append(
            {
                "quiz": quiz,
                "open": open_by_quiz.get(quiz.pk),
                "last": last,
                "retake_at": available if available and available > now else None,
            }
        )
    return render(request, "assessments/quiz_list.html", {"rows": rows})


@login_required
@require_POST
def quiz_start(request: HttpRequest, quiz_slug: str) -> HttpResponse:
    quiz = get_object_or_404(Quiz, slug=quiz_slug, is_published=True)
    if not quiz.questions.exists():
        messages.error(request, f"{quiz.title} has no questions yet.")
        return redirect("quiz_list")
    try:
        attempt = attempt_start(learner_id=request.user.pk, quiz=quiz, now=timezone.now())
    except AttemptRefused as refused:
        messages.error(request, str(refused))
        return redirect("quiz_list")
    return redirect("attempt", attempt_id=attempt.pk)


def _question_ids(attempt: Attempt) -> list[int]:
    return [question.pk for question in quiz_questions(attempt.quiz_id)]


# Written out, as the quiz screens run them on every question: the ORM took longer to build these
# statements than the database to answer them.
# The attempt comes with its saved answers as "question:choice,..." (one round trip, not two).
_ATTEMPT_WITH_QUIZ = """
SELECT {a.*}, q.title AS quiz_title,
       (SELECT {concat}(CAST(r.question_id AS text) || ':' || CAST(rc.choice_id AS text), ',')
        FROM assessments_response r JOIN assessments_response_choices rc ON rc.response_id = r.id
        WHERE r.attempt_id = a.id) AS answered_pairs
FROM assessments_attempt a JOIN assessments_quiz q ON q.id = a.quiz_id
WHERE a.id = %s AND a.learner_id = %s
"""
_ANSWERED = """
SELECT r.question_id, rc.choice_id FROM assessments_response r
JOIN assessments_response_choices rc ON rc.response_id = r.id WHERE r.attempt_id = %s
"""


def _attempt_on_screen(request: HttpRequest, attempt_id: int) -> Attempt:
    """As ``_get_attempt_for_user``, with the quiz's title (``quiz_title``) instead of the quiz and
    the saved answers (``answered_pairs``, read by ``_answered``)."""
    concat = "string_agg" if connection.vendor == "postgresql" else "group_concat"
    sql = _ATTEMPT_WITH_QUIZ.replace("{concat}", concat)
    attempt = first_row(Attempt, sql, [attempt_id, request.user.pk], a=Attempt)
    if attempt is None:
        raise Http404("No such attempt.")
    return attempt


def _answered(attempt: Attempt) -> dict[int, set[int]]:
    """question id -> the choice ids saved for it, for the questions answered in the attempt."""
    answered: dict[int, set[int]] = {}
    if "answered_pairs" in attempt.__dict__:  # read with the attempt (_attempt_on_screen)
        for pair in (attempt.answered_pairs or "").split(","):
            if pair:
                question_id, choice_id = pair.split(":")
                answered.setdefault(int(question_id), set()).add(int(choice_id))
        return answered
    with connection.cursor() as cursor:
        cursor.execute(_ANSWERED, [attempt.pk])
        for question_id, choice_id in cursor.fetchall():
            answered.setdefault(question_id, set()).add(choice_id)
    return answered


@login_required
def attempt_resume(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, attempt_id)
    _close_if_expired(request, attempt)
    if not attempt.is_open:
        attempt.refresh_from_db()
        return redirect("attempt_results", attempt_id=attempt.pk)
    ids, answered = _question_ids(attempt), _answered(attempt)
    first_open = next((n for n, qid in enumerate(ids, start=1) if qid not in answered), 1)
    return redirect("attempt_question", attempt_id=attempt.pk, number=first_open)


def _open_question(attempt: Attempt, question: QuizQuestion) -> list[dict]:
    """The question's choices, in the attempt's order, as id and text only: correctness stays on the server."""
    choices = [{"id": choice_id, "text": text} for choice_id, text in question.choices]
    return choice_order(attempt_id=attempt.pk, question_id=question.pk, choices=choices)


def _question_context(attempt: Attempt, number: int, error: str | None = None) -> dict:
    questions = quiz_questions(attempt.quiz_id)
    if not 1 <= number <= len(questions):
        raise Http404("No such question in this quiz.")
    answered = _answered(attempt)
    question = questions[number - 1]
    return {
        "attempt": attempt,
        "quiz_title": attempt.__dict__.get("quiz_title") or attempt.quiz.title,
        "number": number,
        "total": len(questions),
        "answered_count": len(answered),
        "question": question,
        "choices": _open_question(attempt, question),
        "selected": answered.get(question.pk, set()),
        "previous": number - 1 if number > 1 else None,
        "next": number + 1 if number < len(questions) else None,
        "error": error,
    }


@login_required
def attempt_question(request: HttpRequest, attempt_id: int, number: int) -> HttpResponse:
    attempt = _attempt_on_screen(request, attempt_id)
    if _close_if_expired(request, attempt) or not attempt.is_open:
        if request.htmx:  # the whole page changes, not the question panel
            return HttpResponseClientRedirect(reverse("attempt_results", args=[attempt.pk]))
        return redirect("attempt_results", attempt_id=attempt.pk)
    context = _question_context(attempt, number)
    template = "assessments/_question.html" if request.htmx else "assessments/attempt.html"
    return render(request, template, context)


def posted_choice_ids(request: HttpRequest, name: str = "choice") -> list[int] | None:
    """The choice ids a question form posted (as ``name``); None when one is not a plausible id (never a 500)."""
    try:
        ids = [int(value) for value in request.POST.getlist(name)]
    except ValueError:
        return None
    return ids if all(0 < choice_id < 2**63 for choice_id in ids) else None


def _choice_ids(request: HttpRequest) -> list[int]:
    ids = posted_choice_ids(request)
    if ids is None:
        raise AttemptRefused("That choice is not one of the options shown.")
    return ids


@login_required
@require_POST
def attempt_answer(request: HttpRequest, attempt_id: int, number: int) -> HttpResponse:
    """Autosave (htmx, on change) or "Save and …" (a plain form): one transaction, see ``answer_save``."""
    try:
        saved = answer_save(
            attempt_id=attempt_id,
            learner_id=request.user.pk,
            number=number,
            choice_ids=_choice_ids(request),
            now=timezone.now(),
            # Unticking the last option (an htmx change) clears on purpose; an empty "Save and next"
            # from a page that lost its picks (a restored history entry) must not erase a saved answer.
            keep_saved_if_empty=not request.htmx,
        )
    except (Attempt.DoesNotExist, NoSuchQuestion) as missing:
        raise Http404("No such question in your attempts.") from missing
    except AttemptRefused as refused:
        attempt = _get_attempt_for_user(request, attempt_id)
        if request.htmx:
            return render(
                request, "assessments/_answer_status.html", {"error": str(refused), "attempt": attempt}, status=422
            )
        if not attempt.is_open:
            messages.error(request, str(refused))
            return redirect("attempt_results", attempt_id=attempt.pk)
        return render(request, "assessments/attempt.html", _question_context(attempt, number, str(refused)), status=400)
    if request.htmx:
        context = {"saved": saved, "answered_count": saved.answered_count, "total": saved.total}
        return render(request, "assessments/_answer_status.html", context)
    if request.POST.get("go") == "overview":
        return redirect("attempt_overview", attempt_id=attempt_id)
    if request.POST.get("go") == "previous" and number > 1:
        return redirect("attempt_question", attempt_id=attempt_id, number=number - 1)
    if number < saved.total:
        return redirect("attempt_question", attempt_id=attempt_id, number=number + 1)
    return redirect("attempt_overview", attempt_id=attempt_id)


@login_required
def attempt_overview(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, attempt_id)
    if _close_if_expired(request, attempt) or not attempt.is_open:
        return redirect("attempt_results", attempt_id=attempt.pk)
    answered = _answered(attempt)
    rows = [(n, qid in answered) for n, qid in enumerate(_question_ids(attempt), start=1)]
    unanswered = [n for n, done in rows if not done]
    return render(
        request,
        "assessments/attempt_overview.html",
        {"attempt": attempt, "rows": rows, "unanswered": unanswered, "answered_count": len(answered)},
    )


@login_required
@require_POST
def attempt_finish(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, attempt_id)
    if attempt_submit(attempt_id=attempt.pk, now=timezone.now()):
        messages.success(request, "Submitted. Here is how you did.")
    else:
        messages.info(request, "This attempt was already submitted; nothing changed.")
    return redirect("attempt_results", attempt_id=attempt.pk)


@login_required
def attempt_results(request: HttpRequest, attempt_id: int) -> HttpResponse:
    attempt = _get_attempt_for_user(request, attempt_id)
    if _close_if_expired(request, attempt):
        attempt = _get_attempt_for_user(request, attempt_id)
    if attempt.is_open:
        messages.info(request, "Results appear once you submit the attempt.")
        return redirect("attempt_overview", attempt_id=attempt.pk)
    items, tallies = attempt_review(attempt)
    # A retake asks the same questions: while one is open, the keys and explanations stay hidden.
    retake = Attempt.objects.filter(learner=request.user, quiz_id=attempt.quiz_id, state=Attempt.State.OPEN).first()
    # So do the questions an open re-check asks.
    asking = rechecks_asking(learner_id=request.user.pk)
    held_back = sorted({asking[i.question.pk] for i in items if i.question.pk in asking}, key=lambda r: r.pk)
    items = [] if retake else [i for i in items if i.question.pk not in asking]
    context = {"attempt": attempt, "items": items, "tallies": tallies, "retake": retake, "held_back": held_back}
    return render(request, "assessments/attempt_results.html", context)
