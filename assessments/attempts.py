"""The life of a quiz attempt: starting, answering, submitting, and closing attempts whose time ran out."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import IntegrityError, transaction

from roadmap.requests import roadmap_request

from .models import Attempt, Choice, Question, Quiz, Response
from .scoring import ChoiceIds, score_fraction
from .standing import standing_refresh

T = TypeVar("T")


def choice_order(*, attempt_id: int, question_id: int, choices: Iterable[T]) -> list[T]:
    """The order an attempt shows a question's choices in: shuffled, so the key's position gives
    nothing away, and the same on every screen of that attempt (seeded by attempt and question).
    Pass the live choices by id, so an import that reorders them does not reshuffle open attempts."""
    shuffled = list(choices)
    random.Random(f"{attempt_id}:{question_id}").shuffle(shuffled)  # noqa: S311 - presentation, not a secret
    return shuffled


class AttemptRefused(Exception):
    """An action on an attempt that cannot be done; the message is for the learner."""


def answer_key(*, quiz_id: int) -> dict[int, ChoiceIds]:
    keys: dict[int, set[int]] = {
        qid: set() for qid in Question.objects.filter(quiz_id=quiz_id).values_list("id", flat=True)
    }
    for question_id, choice_id in Choice.objects.filter(question__quiz_id=quiz_id, is_correct=True).values_list(
        "question_id", "id"
    ):
        keys[question_id].add(choice_id)
    return {qid: frozenset(ids) for qid, ids in keys.items()}


def attempt_answers(*, attempt_ids: list[int]) -> dict[int, dict[int, ChoiceIds]]:
    """attempt id -> question id -> chosen choice ids, for several attempts in one query."""
    answers: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    for attempt_id, question_id, choice_id in Response.objects.filter(attempt_id__in=attempt_ids).values_list(
        "attempt_id", "question_id", "choices__id"
    ):
        chosen = answers[attempt_id][question_id]
        if choice_id is not None:
            chosen.add(choice_id)
    return {aid: {qid: frozenset(ids) for qid, ids in by_q.items()} for aid, by_q in answers.items()}


def retake_available_at(*, quiz: Quiz, last_submitted_at: datetime | None) -> datetime | None:
    if last_submitted_at is None or not quiz.retake_after_days:
        return None
    return last_submitted_at + timedelta(days=quiz.retake_after_days)


def attempt_start(*, learner_id: int, quiz: Quiz, now: datetime) -> Attempt:
    """Resume the open attempt, or open one. Concurrent starts converge on one attempt (a unique index)."""
    open_attempt = Attempt.objects.filter(learner_id=learner_id, quiz=quiz, state=Attempt.State.OPEN).first()
    if open_attempt:
        return open_attempt
    last = (
        Attempt.objects.filter(learner_id=learner_id, quiz=quiz, state=Attempt.State.SUBMITTED)
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)
        .first()
    )
    available = retake_available_at(quiz=quiz, last_submitted_at=last)
    if available and now < available:
        raise AttemptRefused(f"You can retake this quiz from {available:%d %b %Y, %H:%M} UTC.")
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                learner_id=learner_id, quiz=quiz, started_at=now, deadline=quiz.deadline_from(now)
            )
    except IntegrityError:
        # Another request opened it first: both land on the same attempt.
        return Attempt.objects.get(learner_id=learner_id, quiz=quiz, state=Attempt.State.OPEN)


def _close(attempt: Attempt, *, now: datetime, auto: bool) -> None:
    """Score the attempt and close it; questions left unanswered are recorded as answered with nothing."""
    keys = answer_key(quiz_id=attempt.quiz_id)
    answers = attempt_answers(attempt_ids=[attempt.pk]).get(attempt.pk, {})
    Response.objects.bulk_create(
        [Response(attempt=attempt, question_id=qid, answered_at=None) for qid in keys if qid not in answers]
    )
    attempt.submit(now=now, score=score_fraction(answers=answers, keys=keys), auto=auto)
    standing_refresh(learner_id=attempt.learner_id, now=now)
    roadmap_request(learner_id=attempt.learner_id, reason="quiz submitted", now=now)


def attempt_submit(*, attempt_id: int, now: datetime, auto: bool = False) -> bool:
    """Score and close an open attempt. Returns False when it was already closed (a stale submit)."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
        if not attempt.is_open:
            return False
        _close(attempt, now=now, auto=auto)
    return True


def answer_save(*, attempt_id: int, question_id: int, choice_ids: list[int], now: datetime) -> Response:
    """Save (or replace) the answer to one question the moment it is given.

    Refuses, changing nothing, an answer to a closed or expired attempt, to a question outside the
    quiz, with a choice of another question, or with several choices on a single-choice question.
    An attempt found past its deadline is submitted automatically.
    """
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
        if not attempt.is_open:
            raise AttemptRefused("This attempt is already submitted; answers can no longer change.")
        expired = attempt.is_past_deadline(now)
        if expired:
            _close(attempt, now=now, auto=True)
    if expired:  # raised outside the transaction, so the automatic submission is kept
        raise AttemptRefused(
            "Time is up: this answer arrived after the deadline and was not saved. "
            "Your attempt was submitted with the answers saved before the deadline."
        )
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt_id)
        if not attempt.is_open:
            raise AttemptRefused("This attempt is already submitted; answers can no longer change.")
        question = Question.objects.filter(pk=question_id, quiz_id=attempt.quiz_id).first()
        if question is None:
            raise AttemptRefused("That question is not part of this quiz.")
        chosen = set(choice_ids)
        valid = set(Choice.objects.filter(question=question, pk__in=chosen, retired=False).values_list("id", flat=True))
        if chosen - valid:
            raise AttemptRefused("That choice does not belong to this question. Pick one of the options shown.")
        if question.kind == Question.Kind.SINGLE and len(chosen) > 1:
            raise AttemptRefused("This question takes a single answer. Pick one option.")
        response, created = Response.objects.get_or_create(
            attempt=attempt, question=question, defaults={"answered_at": now}
        )
        if not created:
            response.answered_at = now
            response.save(update_fields=["answered_at"])
        response.choices.set(chosen)
    return response


def expired_attempts_close(*, now: datetime) -> int:
    """Submit every open attempt whose deadline has passed, even if the learner never came back."""
    closed = 0
    for attempt_id in Attempt.objects.filter(state=Attempt.State.OPEN, deadline__lte=now).values_list("pk", flat=True):
        closed += attempt_submit(attempt_id=attempt_id, now=now, auto=True)
    return closed
