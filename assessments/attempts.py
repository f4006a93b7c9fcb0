"""The life of a quiz attempt: starting, answering, submitting, and closing attempts whose time ran out."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.db import IntegrityError, connection, transaction

from careerpath.sql import first_row
from careerpath.zones import local_time
from roadmap.requests import roadmap_request

from .activity import activity_record
from .content import QuizQuestion, quiz_questions
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
        raise AttemptRefused(f"You can retake this quiz from {local_time(available, 'd M Y, H:i')}.")
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


@dataclass(frozen=True)
class AnswerSaved:
    answered_at: datetime | None  # None: nothing changed (an empty save kept the saved answer)
    answered_count: int  # questions of the attempt with an answer, after this save
    total: int  # questions in the quiz


class NoSuchQuestion(LookupError):
    """The quiz has no question at that position."""


def answer_save(
    *,
    attempt_id: int,
    choice_ids: list[int],
    question_id: int | None = None,
    number: int | None = None,
    now: datetime,
    learner_id: int | None = None,
    keep_saved_if_empty: bool = False,
) -> AnswerSaved:
    """Save (or replace) the answer to one question the moment it is given.

    Refuses, changing nothing, an answer to a closed or expired attempt, to a question outside the
    quiz, with a choice of another question, or with several choices on a single-choice question.
    An attempt found past its deadline is submitted automatically. The question is given by id, or by
    ``number``, its position in the quiz (the quiz screens' URLs; ``NoSuchQuestion`` when there is
    none). ``learner_id`` limits the attempt to that learner's (``Attempt.DoesNotExist`` otherwise);
    ``keep_saved_if_empty`` keeps a saved answer when no choice is sent (a plain form restored from
    history may have lost its picks).

    One transaction, two statements on PostgreSQL: the locking read of the attempt (which also
    counts the answered questions, stable under the lock), and one statement that upserts the
    response and makes its choices the chosen ones (its row counts say whether the question was
    answered before). Both are written out and prepared once per connection: built by the ORM they
    cost more time to compile than to run. The quiz's questions come from the content cache
    (``content.quiz_questions``).
    """
    with transaction.atomic():
        attempt = _attempt_locked(attempt_id, learner_id)
        questions = quiz_questions(attempt.quiz_id)
        if number is not None:
            if not 1 <= number <= len(questions):
                raise NoSuchQuestion(number)
            question_id = questions[number - 1].pk
        if not attempt.is_open:
            raise AttemptRefused("This attempt is already submitted; answers can no longer change.")
        expired = attempt.is_past_deadline(now)
        if expired:
            _close(attempt, now=now, auto=True)
        else:
            question = next((q for q in questions if q.pk == question_id), None)
            saved = _response_write(attempt, question, set(choice_ids), now, keep_saved_if_empty, len(questions))
    if expired:  # raised outside the transaction, so the automatic submission is kept
        raise AttemptRefused(
            "Time is up: this answer arrived after the deadline and was not saved. "
            "Your attempt was submitted with the answers saved before the deadline."
        )
    return saved


# The attempt, locked, with how many of its questions have an answer.
_ATTEMPT_LOCKED = """
SELECT {a.*},
       (SELECT count(DISTINCT r.question_id) FROM assessments_response r
        JOIN assessments_response_choices rc ON rc.response_id = r.id
        WHERE r.attempt_id = a.id) AS answered_count
FROM assessments_attempt a
WHERE a.id = %s AND (CAST(%s AS bigint) IS NULL OR a.learner_id = %s)
"""


def _attempt_locked(attempt_id: int, learner_id: int | None) -> Attempt:
    """The attempt row locked for this transaction (``Attempt.DoesNotExist`` if it is not there,
    or not ``learner_id``'s when given)."""
    lock = "FOR UPDATE OF a" if connection.features.has_select_for_update_of else ""
    attempt = first_row(Attempt, _ATTEMPT_LOCKED + lock, [attempt_id, learner_id, learner_id], a=Attempt)
    if attempt is None:
        raise Attempt.DoesNotExist(attempt_id)
    return attempt


def _response_write(
    attempt: Attempt,
    question: QuizQuestion | None,
    chosen: set[int],
    now: datetime,
    keep_saved_if_empty: bool,
    total: int,
) -> AnswerSaved:
    if question is None:
        raise AttemptRefused("That question is not part of this quiz.")
    if chosen - question.choice_ids:
        raise AttemptRefused("That choice does not belong to this question. Pick one of the options shown.")
    if question.kind == Question.Kind.SINGLE and len(chosen) > 1:
        raise AttemptRefused("This question takes a single answer. Pick one option.")
    count = attempt.answered_count or 0
    if (
        not chosen
        and keep_saved_if_empty
        and Response.objects.filter(attempt=attempt, question_id=question.pk, choices__isnull=False).exists()
    ):
        return AnswerSaved(answered_at=None, answered_count=count, total=total)
    removed, added = _answer_write(attempt, question.pk, chosen, now)
    had_choices = removed + (len(chosen) - added) > 0  # what was there before: removed, or kept
    return AnswerSaved(answered_at=now, answered_count=count - had_choices + bool(chosen), total=total)


# The response upserted, its choices made exactly the chosen ones and the learner's activity moved on
# (at most once a minute), in one statement (its parts see one snapshot: the delete and the insert
# touch different rows).
_ANSWER_WRITE = """
WITH response AS (
    INSERT INTO assessments_response (attempt_id, question_id, answered_at) VALUES (%s, %s, %s)
    ON CONFLICT (attempt_id, question_id) DO UPDATE SET answered_at = EXCLUDED.answered_at
    RETURNING id
), removed AS (
    DELETE FROM assessments_response_choices rc USING response
    WHERE rc.response_id = response.id AND NOT (rc.choice_id = ANY(%s::bigint[]))
    RETURNING 1
), added AS (
    INSERT INTO assessments_response_choices (response_id, choice_id)
    SELECT response.id, chosen FROM response, unnest(%s::bigint[]) AS chosen
    ON CONFLICT DO NOTHING
    RETURNING 1
), active AS (
    INSERT INTO assessments_learneractivity (learner_id, last_active_at) VALUES (%s, %s)
    ON CONFLICT (learner_id) DO UPDATE SET last_active_at = EXCLUDED.last_active_at
    WHERE assessments_learneractivity.last_active_at < EXCLUDED.last_active_at - interval '1 minute'
)
SELECT (SELECT count(*) FROM removed), (SELECT count(*) FROM added)
"""


def _answer_write(attempt: Attempt, question_id: int, chosen: set[int], now: datetime) -> tuple[int, int]:
    """Upsert the response, make its choices ``chosen`` and remember the learner was active (to
    the minute); returns (choices removed, added)."""
    if connection.vendor == "postgresql":
        ids = sorted(chosen)
        with connection.cursor() as cursor:
            cursor.execute(_ANSWER_WRITE, [attempt.pk, question_id, now, ids, ids, attempt.learner_id, now])
            removed, added = cursor.fetchone()
        return removed, added
    activity_record(learner_id=attempt.learner_id, now=now)  # SQLite (`make run`): four statements
    (response,) = Response.objects.bulk_create(
        [Response(attempt_id=attempt.pk, question_id=question_id, answered_at=now)],
        update_conflicts=True,
        unique_fields=["attempt", "question"],
        update_fields=["answered_at"],
    )
    return _choices_replace(response.pk, chosen)


def _choices_replace(response_id: int, chosen: set[int]) -> tuple[int, int]:
    """Make the response's choices exactly ``chosen`` in two statements; returns (removed, added)."""
    links = Response.choices.through
    removed, _ = links.objects.filter(response_id=response_id).exclude(choice_id__in=chosen).delete()
    if not chosen:
        return removed, 0
    table, quote = links._meta.db_table, connection.ops.quote_name
    rows = ", ".join(["(%s, %s)"] * len(chosen))
    with connection.cursor() as cursor:  # the ORM's ignore_conflicts does not say how many went in
        cursor.execute(
            f"INSERT INTO {quote(table)} (response_id, choice_id) VALUES {rows} ON CONFLICT DO NOTHING",  # noqa: S608
            [value for choice_id in sorted(chosen) for value in (response_id, choice_id)],
        )
        return removed, cursor.rowcount


def expired_attempts_close(*, now: datetime) -> int:
    """Submit every open attempt whose deadline has passed, even if the learner never came back."""
    closed = 0
    for attempt_id in Attempt.objects.filter(state=Attempt.State.OPEN, deadline__lte=now).values_list("pk", flat=True):
        closed += attempt_submit(attempt_id=attempt_id, now=now, auto=True)
    return closed
