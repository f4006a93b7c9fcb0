"""The life of a quiz attempt: submitting, and closing attempts whose time ran out."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import transaction

from .models import Attempt, Choice, Response
from .scoring import ChoiceIds, score_fraction


def answer_key(*, quiz_id: int) -> dict[int, ChoiceIds]:
    keys: dict[int, set[int]] = defaultdict(set)
    for question_id, choice_id, is_correct in Choice.objects.filter(question__quiz_id=quiz_id).values_list(
        "question_id", "id", "is_correct"
    ):
        keys[question_id]  # every question has a key, even one with no correct choice
        if is_correct:
            keys[question_id].add(choice_id)
    return {qid: frozenset(ids) for qid, ids in keys.items()}


def attempt_answers(*, attempt_id: int) -> dict[int, ChoiceIds]:
    answers: dict[int, set[int]] = defaultdict(set)
    for question_id, choice_id in Response.objects.filter(attempt_id=attempt_id).values_list(
        "question_id", "choices__id"
    ):
        answers[question_id]
        if choice_id is not None:
            answers[question_id].add(choice_id)
    return {qid: frozenset(ids) for qid, ids in answers.items()}


def attempt_submit(*, attempt_id: int, now: datetime, auto: bool = False) -> bool:
    """Score and close an open attempt. Returns False when it was already closed (a stale submit)."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
        if not attempt.is_open:
            return False
        score = score_fraction(answers=attempt_answers(attempt_id=attempt.pk), keys=answer_key(quiz_id=attempt.quiz_id))
        attempt.submit(now=now, score=score, auto=auto)
    return True


def expired_attempts_close(*, now: datetime) -> int:
    """Submit every open attempt whose deadline has passed, even if the learner never came back."""
    closed = 0
    for attempt_id in Attempt.objects.filter(state=Attempt.State.OPEN, deadline__lte=now).values_list("pk", flat=True):
        closed += attempt_submit(attempt_id=attempt_id, now=now, auto=True)
    return closed
