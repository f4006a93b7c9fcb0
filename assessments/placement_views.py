"""Find my level in the browser: the adaptive placement test, one question per screen.

The server picks every question (``placement_tests``), so these views only show the question waiting
for an answer, earlier questions read-only with their saved answers, and the result. Plain form
posts with redirects after each answer: the placement test has no in-page updates to make.

Nothing rendered while a test is open carries correctness or explanations: choices are read as id
and text only (``_open_question``). Question and result pages are sent with ``Cache-Control:
no-store`` (``never_cache``), so the browser's Back button fetches them again and shows an answered
question as answered, never as the empty form it was when first shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from .attempts import choice_order
from .content import content_load
from .measurement.placement import HARD_CAP, MAX_QUESTIONS
from .models import Choice, PlacementAnswer, PlacementTest, Question, Quiz
from .placement_tests import (
    TIME_LIMIT,
    PlacementRefused,
    placement_answer,
    placement_close_if_expired,
    placement_current,
    placement_start,
)
from .quiz_views import posted_choice_ids
from .standing import Placement


def _get_test_for_user(request: HttpRequest, test_id: int) -> PlacementTest:
    """The learner's own placement test, or 404: another learner's tests do not exist for them.
    A test found past its deadline is finished first, with the answers given before it."""
    test = get_object_or_404(PlacementTest, pk=test_id, learner=request.user)
    now = timezone.now()
    if test.is_open and now >= test.deadline and placement_close_if_expired(test_id=test.pk, now=now):
        messages.warning(request, "Time is up: your test was finished with the answers given before the deadline.")
        test.refresh_from_db()
    return test


def _redirect_to_where_the_test_is(test: PlacementTest) -> HttpResponse:
    current = placement_current(test) if test.is_open else None
    if current is not None:
        return redirect("placement_question", test_id=test.pk, number=current.position)
    if test.is_open:  # open with nothing asked: only if the bank is empty; the intro explains nothing more
        return redirect("placement")
    return redirect("placement_result", test_id=test.pk)


@login_required
@never_cache
def placement(request: HttpRequest) -> HttpResponse:
    tests = PlacementTest.objects.filter(learner=request.user)
    open_test = tests.filter(state=PlacementTest.State.OPEN).first()
    latest = tests.filter(state=PlacementTest.State.FINISHED).order_by("-finished_at", "-pk").first()
    context = {
        "open_test": open_test,
        "latest": latest,
        "max_questions": MAX_QUESTIONS,
        "hard_cap": HARD_CAP,
        "time_limit_minutes": int(TIME_LIMIT.total_seconds() // 60),
    }
    if latest is not None:
        context.update(_result_context(latest))
    return render(request, "assessments/placement.html", context)


@login_required
@require_POST
def placement_begin(request: HttpRequest) -> HttpResponse:
    test = placement_start(learner_id=request.user.pk, now=timezone.now())
    return _redirect_to_where_the_test_is(test)


@login_required
@never_cache
def placement_resume(request: HttpRequest, test_id: int) -> HttpResponse:
    return _redirect_to_where_the_test_is(_get_test_for_user(request, test_id))


def _open_question(test: PlacementTest, question_id: int) -> tuple[Question, list[dict]]:
    """The question and its choices, in the test's order, as id and text only: correctness stays on the server."""
    question = (
        Question.objects.only("id", "text", "kind", "competency__name").select_related("competency").get(pk=question_id)
    )
    choices = Choice.objects.filter(question_id=question_id, retired=False).order_by("id").values("id", "text")
    return question, choice_order(attempt_id=test.pk, question_id=question_id, choices=choices)


def _finished_before(test: PlacementTest, number: int) -> bool:
    """The test finished (its time ran out) before question ``number`` was answered: that question is gone."""
    return not test.is_open and not test.answers.filter(position=number).exists()


def _asked(test: PlacementTest, number: int) -> PlacementAnswer:
    asked = test.answers.filter(position=number).first()
    if asked is None:
        raise Http404("No such question in this placement test.")
    return asked


def _question_context(
    test: PlacementTest,
    asked: PlacementAnswer,
    *,
    current: PlacementAnswer | None,
    picked: set[int] | None = None,
    error: str | None = None,
) -> dict:
    question, choices = _open_question(test, asked.question_id)
    answered = asked.answered_at is not None
    return {
        "test": test,
        "number": asked.position,
        "of_at_most": MAX_QUESTIONS if asked.position <= MAX_QUESTIONS else HARD_CAP,
        "question": question,
        "choices": choices,
        "answered": answered,
        "dont_know": answered and asked.dont_know,
        "selected": set(asked.choices.values_list("id", flat=True)) if answered else (picked or set()),
        "current": current,
        "error": error,
    }


@login_required
@never_cache
def placement_question(request: HttpRequest, test_id: int, number: int) -> HttpResponse:
    test = _get_test_for_user(request, test_id)
    answers = list(test.answers.order_by("position"))  # a few dozen at most: the asked one and the current one
    asked = next((answer for answer in answers if answer.position == number), None)
    if asked is None:
        if not test.is_open:  # it finished (time ran out) before this question was answered
            return _redirect_to_where_the_test_is(test)
        raise Http404("No such question in this placement test.")
    current = next((answer for answer in answers if answer.answered_at is None), None) if test.is_open else None
    context = _question_context(test, asked, current=current)
    return render(request, "assessments/placement_question.html", context)


def _choice_ids(request: HttpRequest) -> list[int]:
    ids = posted_choice_ids(request)
    if ids is None:
        raise PlacementRefused("That choice does not belong to this question. Pick one of the options shown.")
    return ids


@login_required
@require_POST
@never_cache
def placement_answer_view(request: HttpRequest, test_id: int, number: int) -> HttpResponse:
    test = _get_test_for_user(request, test_id)
    if _finished_before(test, number):
        return _redirect_to_where_the_test_is(test)
    _asked(test, number)
    picked: set[int] = set()
    try:
        dont_know = request.POST.get("dont_know") == "1"
        picked = set() if dont_know else set(_choice_ids(request))
        test = placement_answer(
            test_id=test.pk, position=number, choice_ids=sorted(picked), now=timezone.now(), dont_know=dont_know
        )
    except PlacementRefused as refused:
        test.refresh_from_db()
        asked = test.answers.filter(position=number).first()
        if asked is None:  # the deadline passed: the test finished and dropped the unanswered question
            messages.error(request, str(refused))
            return _redirect_to_where_the_test_is(test)
        current = placement_current(test) if test.is_open else None
        context = _question_context(test, asked, current=current, picked=picked, error=str(refused))
        return render(request, "assessments/placement_question.html", context, status=400)
    return _redirect_to_where_the_test_is(test)


def _result_context(test: PlacementTest) -> dict:
    """What the stored result says, named: levels and areas come from the content as it is now."""
    content = content_load()
    result = test.result or {}
    placement = Placement.from_stored(result.get("level_probabilities"))
    level_rows = [
        {"level": level, "percent": round(100 * p)}
        for level, p in zip(content.levels, result.get("level_probabilities") or [], strict=False)
    ]
    proficiency = result.get("area_proficiency") or {}
    area_levels = result.get("area_level_probabilities") or {}
    area_rows = []
    for area in content.areas:
        key = str(area.pk)
        if key not in proficiency:
            continue
        area_placement = Placement.from_stored(area_levels.get(key))
        area_rows.append(
            {
                "area": area,
                "proficiency": proficiency[key],
                "level": _level_at(content.levels, area_placement.index) if area_placement else None,
            }
        )
    sharpen_ids = [int(area_id) for area_id in result.get("sharpen_areas") or []]
    quizzes = {
        q.area_id: q for q in Quiz.objects.filter(area_id__in=sharpen_ids, is_published=True).select_related("area")
    }
    return {
        "answered_count": result.get("answered", 0),
        "level": _level_at(content.levels, placement.index) if placement else None,
        "certainty": round(100 * placement.certainty) if placement else None,
        "possibly": _level_at(content.levels, placement.possibly_index) if placement else None,
        "level_rows": level_rows,
        "area_rows": area_rows,
        "sharpen_quizzes": [quizzes[area_id] for area_id in sharpen_ids if area_id in quizzes],
    }


def _level_at(levels: list, index: int | None):
    return levels[index] if index is not None and index < len(levels) else None


@login_required
@never_cache
def placement_result(request: HttpRequest, test_id: int) -> HttpResponse:
    test = _get_test_for_user(request, test_id)
    if test.is_open:
        messages.info(request, "Your level appears once the test is finished.")
        return _redirect_to_where_the_test_is(test)
    return render(request, "assessments/placement_result.html", {"test": test, **_result_context(test)})
