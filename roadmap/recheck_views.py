"""A re-check in the browser: its questions on one page, each answer saved the moment it is given
(htmx on change, or the question's own "Save" button without JavaScript), then submitted.

Nothing rendered before submission carries correctness: the page reads each question's live
choices as (id, text) from the held content (``content.quiz_questions``), never ``is_correct``,
``RecheckAnswer.correct`` or the explanation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.attempts import choice_order
from assessments.content import quiz_questions
from assessments.quiz_views import posted_choice_ids

from .models import Recheck
from .rechecks import RecheckRefused, next_interval, recheck_answer_save, recheck_submit


def _get_recheck_for_user(request: HttpRequest, recheck_id: int) -> Recheck:
    """The learner's own re-check, or 404: another learner's do not exist for them."""
    return get_object_or_404(Recheck.objects.select_related("competency", "step"), pk=recheck_id, learner=request.user)


def _questions(recheck: Recheck) -> list[dict]:
    """Each question as the page shows it: text, live choices as (id, text) in a shuffled order, the
    saved picks."""
    answers = list(recheck.answers.select_related("question").prefetch_related("choices"))
    shown = []
    for answer in answers:
        held = {q.pk: q for q in quiz_questions(answer.question.quiz_id)}.get(answer.question_id)
        choices = held.choices if held else ()
        shown.append(
            {
                "position": answer.position,
                "position_text": str(answer.position),  # the field's name: choice-<position>
                "question": held,
                "choices": [
                    {"id": cid, "text": text}
                    for cid, text in choice_order(
                        attempt_id=-recheck.pk, question_id=answer.question_id, choices=choices
                    )
                ],
                "selected": {choice.pk for choice in answer.choices.all()},
            }
        )
    return shown


@login_required
def recheck_page(request: HttpRequest, recheck_id: int) -> HttpResponse:
    recheck = _get_recheck_for_user(request, recheck_id)
    context = {
        "recheck": recheck,
        "questions": _questions(recheck) if recheck.is_open else [],
        "next_days": next_interval(recheck.interval_days),
    }
    return render(request, "roadmap/recheck.html", context)


@login_required
@require_POST
def recheck_answer(request: HttpRequest, recheck_id: int, position: int) -> HttpResponse:
    """Autosave (htmx, on change) or the question's "Save" button (a plain form)."""
    ids = _posted_picks(request, position)
    try:
        if ids is None:
            raise RecheckRefused("That choice is not one of the options shown.")
        recheck_answer_save(
            recheck_id=recheck_id, learner_id=request.user.pk, position=position, choice_ids=ids, now=timezone.now()
        )
    except Recheck.DoesNotExist as missing:
        raise Http404("No such re-check.") from missing
    except RecheckRefused as refused:
        if request.htmx:
            return render(request, "roadmap/_recheck_status.html", {"error": str(refused)}, status=400)
        recheck = _get_recheck_for_user(request, recheck_id)
        context = {"recheck": recheck, "questions": _questions(recheck), "error": str(refused), "at": position}
        return render(request, "roadmap/recheck.html", context, status=400)
    if request.htmx:
        return render(request, "roadmap/_recheck_status.html", {"saved_at": timezone.now()})
    messages.success(request, f"Answer {position} saved.")
    return redirect(reverse("recheck", args=[recheck_id]) + f"#question-{position}")


def _posted_picks(request: HttpRequest, position: int) -> list[int] | None:
    """The picks posted for question ``position`` (the page's field ``choice-<position>``; a form
    of one question may send ``choice``)."""
    name = f"choice-{position}"
    return posted_choice_ids(request, name if name in request.POST else "choice")


@login_required
@require_POST
def recheck_submit_view(request: HttpRequest, recheck_id: int) -> HttpResponse:
    """Saves every pick the page sends (so none is lost without JavaScript, or to an autosave still
    on its way), then decides the re-check."""
    recheck = _get_recheck_for_user(request, recheck_id)
    now = timezone.now()
    try:
        if recheck.is_open:
            for position in recheck.answers.values_list("position", flat=True):
                if f"choice-{position}" not in request.POST:
                    continue  # nothing picked on the page: what was saved stays
                ids = _posted_picks(request, position)
                if ids is None:
                    raise RecheckRefused("That choice is not one of the options shown.")
                recheck_answer_save(
                    recheck_id=recheck.pk, learner_id=request.user.pk, position=position, choice_ids=ids, now=now
                )
    except RecheckRefused as refused:
        context = {"recheck": recheck, "questions": _questions(recheck), "error": str(refused)}
        return render(request, "roadmap/recheck.html", context, status=400)
    try:
        outcome = recheck_submit(recheck_id=recheck_id, learner_id=request.user.pk, now=timezone.now())
    except Recheck.DoesNotExist as missing:
        raise Http404("No such re-check.") from missing
    except RecheckRefused as refused:
        messages.info(request, str(refused))
        return redirect("recheck", recheck_id=recheck_id)
    if outcome.passed:
        messages.success(request, f"Passed: {outcome.right} of {outcome.asked} right.")
    else:
        messages.warning(request, f"Not this time: {outcome.right} of {outcome.asked} right.")
    return redirect("recheck", recheck_id=recheck_id)
