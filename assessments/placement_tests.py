"""The life of a placement test: start or resume, answer, pick the next question, finish.

All state is on the server: the questions asked so far, in order, each saved with its answer the
moment it is given (``PlacementAnswer``). The next question is chosen by ``measurement.placement``
from the answers so far and stored before it is shown, so a reload shows the same question and a
browser Back shows an answered question as answered. The deadline is checked on every answer and by
the beat task that closes expired attempts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from django.db import IntegrityError, transaction

from .content import content_load
from .evidence import answers_evidence, placement_outcomes
from .measurement.estimation import posterior
from .measurement.placement import next_question, should_stop
from .models import Choice, PlacementAnswer, PlacementTest, Question
from .scoring import is_answer_correct
from .standing import standing_refresh

TIME_LIMIT = timedelta(minutes=30)
SHARPEN_AREAS = 2


class PlacementRefused(Exception):
    """An action on a placement test that cannot be done; the message is for the learner."""


def placement_start(*, learner_id: int, now: datetime) -> PlacementTest:
    """Resume the open test, or open one with its first question. Concurrent starts converge."""
    test = PlacementTest.objects.filter(learner_id=learner_id, state=PlacementTest.State.OPEN).first()
    if test is None:
        try:
            with transaction.atomic():
                test = PlacementTest.objects.create(learner_id=learner_id, started_at=now, deadline=now + TIME_LIMIT)
        except IntegrityError:
            test = PlacementTest.objects.get(learner_id=learner_id, state=PlacementTest.State.OPEN)
    with transaction.atomic():
        test = PlacementTest.objects.select_for_update().get(pk=test.pk)
        if test.is_open and not test.answers.filter(answered_at__isnull=True).exists():
            _advance(test, now=now)
    return test


def placement_current(test: PlacementTest) -> PlacementAnswer | None:
    """The question waiting for an answer, if any."""
    return test.answers.filter(answered_at__isnull=True).select_related("question").first()


def _answered(test: PlacementTest) -> list[tuple[int, int, str]]:
    return placement_outcomes(test.answers.all())


def _advance(test: PlacementTest, *, now: datetime) -> None:
    """Ask the next question, or finish when the level is sure enough (or the bank runs out)."""
    measurement = content_load().measurement
    answered = _answered(test)
    result = posterior(measurement.model, answers_evidence(answered, measurement.item_params), areas=False)
    if should_stop(answered=len(answered), level_probabilities=result.level_probabilities):
        _finish(test, now=now)
        return
    bank = measurement.bank
    asked = [
        bank.index_of(qid) for qid in test.answers.values_list("question_id", flat=True) if qid in bank.question_ids
    ]
    rng = np.random.default_rng([test.pk, len(answered)])
    index = next_question(bank, result.position, asked, rng)
    if index is None:
        _finish(test, now=now)
        return
    PlacementAnswer.objects.create(
        test=test, position=len(answered) + 1, question_id=int(bank.question_ids[index]), asked_at=now
    )


def _finish(test: PlacementTest, *, now: datetime) -> None:
    measurement = content_load().measurement
    answered = _answered(test)
    result = posterior(measurement.model, answers_evidence(answered, measurement.item_params))
    test.state = PlacementTest.State.FINISHED
    test.finished_at = now
    test.result = placement_result(measurement, result, answered=len(answered))
    test.save(update_fields=["state", "finished_at", "result"])
    test.answers.filter(answered_at__isnull=True).delete()
    if answered:
        standing_refresh(learner_id=test.learner_id, now=now)


def placement_result(measurement, result, *, answered: int) -> dict:
    """What the test found: the level probabilities, a first estimate per area, and which area
    quizzes would sharpen the level most (the quizzes whose questions carry the most information
    about the ladder position where the test left it)."""
    model, bank = measurement.model, measurement.bank
    areas: dict[str, list[float]] = {}
    for cid, estimate in result.competencies.items():
        areas.setdefault(str(model.area_ids[model.index[cid]]), []).append(estimate.proficiency)
    information = bank.information @ result.position
    by_area: dict[int, float] = {}
    for area_id, value in zip(bank.area_ids.tolist(), information.tolist(), strict=True):
        by_area[area_id] = by_area.get(area_id, 0.0) + value
    return {
        "answered": answered,
        "level_probabilities": []
        if result.level_probabilities is None
        else [round(float(p), 4) for p in result.level_probabilities],
        "area_proficiency": {area_id: round(sum(v) / len(v), 2) for area_id, v in areas.items()},
        "area_level_probabilities": {
            str(area_id): [round(float(p), 4) for p in probs]
            for area_id, probs in result.area_level_probabilities.items()
            if probs is not None
        },
        "sharpen_areas": [area_id for area_id, _ in sorted(by_area.items(), key=lambda kv: -kv[1])[:SHARPEN_AREAS]],
    }


def placement_answer(
    *, test_id: int, position: int, choice_ids: list[int], now: datetime, dont_know: bool = False
) -> PlacementTest:
    """Save the answer to the question at ``position`` (or "I don't know yet") and move on. Refuses,
    changing nothing, an answer to a finished test, to a question already answered or not asked, or
    with choices that do not fit the question. An answer after the deadline is refused and the test
    finished."""
    with transaction.atomic():
        test = PlacementTest.objects.select_for_update().get(pk=test_id)
        if not test.is_open:
            raise PlacementRefused("This placement test is finished; answers can no longer change.")
        if now >= test.deadline:
            _finish(test, now=now)
            expired = True
        else:
            expired = False
            _save(test, position=position, choice_ids=choice_ids, now=now, dont_know=dont_know)
            _advance(test, now=now)
    if expired:
        raise PlacementRefused(
            "Time is up: this answer arrived after the deadline and was not saved. "
            "Your test was finished with the answers given before the deadline."
        )
    return test


def _save(test: PlacementTest, *, position: int, choice_ids: list[int], now: datetime, dont_know: bool) -> None:
    asked = test.answers.select_related("question").filter(position=position).first()
    if asked is None:
        raise PlacementRefused("That question is not part of this test.")
    if asked.answered_at is not None:
        raise PlacementRefused("You already answered this question; in an adaptive test answers can't be changed.")
    chosen = set(choice_ids)
    if dont_know:
        # Saying so is an answer too: more honest evidence than a guess.
        asked.correct, asked.dont_know, asked.answered_at = False, True, now
        asked.save(update_fields=["correct", "dont_know", "answered_at"])
        asked.choices.clear()
        return
    if not chosen:
        raise PlacementRefused("Pick an answer first, or choose \u201cI don\u2019t know yet\u201d.")
    pick_record(asked, chosen, now=now, refused=PlacementRefused)


def pick_record(asked, chosen: set[int], *, now: datetime, refused: type[Exception]) -> None:
    """Store a pick on an asked question (a placement test's or a re-check's answer, with its
    ``question``, ``correct``, ``answered_at`` and ``choices``), marked right or wrong. Refuses with
    ``refused``, changing nothing, a choice of another question (or a retired one) and several
    choices on a single-choice question."""
    question: Question = asked.question
    choices = dict(Choice.objects.filter(question=question, retired=False).values_list("id", "is_correct"))
    if chosen - choices.keys():
        raise refused("That choice does not belong to this question. Pick one of the options shown.")
    if question.kind == Question.Kind.SINGLE and len(chosen) > 1:
        raise refused("This question takes a single answer. Pick one option.")
    asked.correct = is_answer_correct(
        chosen=frozenset(chosen), correct=frozenset(cid for cid, right in choices.items() if right)
    )
    asked.answered_at = now
    asked.save(update_fields=["correct", "answered_at"])
    asked.choices.set(chosen)


def placement_close_if_expired(*, test_id: int, now: datetime) -> bool:
    """Finish the test if its deadline has passed (with the answers given before it); True if it did."""
    with transaction.atomic():
        test = PlacementTest.objects.select_for_update().get(pk=test_id)
        if not test.is_open or now < test.deadline:
            return False
        _finish(test, now=now)
    return True


def expired_placements_close(*, now: datetime) -> int:
    """Finish every open placement test whose deadline has passed, even if the learner never came back."""
    due = PlacementTest.objects.filter(state=PlacementTest.State.OPEN, deadline__lte=now).values_list("pk", flat=True)
    return sum(placement_close_if_expired(test_id=test_id, now=now) for test_id in due)
