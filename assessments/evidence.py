"""What the database holds as evidence about a learner, in the estimator's terms.

A fixed number of queries whatever the learner's history. Which answers count:

- the latest submitted attempt of each quiz (a retake replaces what the earlier one said), and only
  the questions answered in it: a question left unanswered is not evidence of ignorance;
- every answered question of the learner's latest finished placement test;
- the latest self-rating and the latest mentor rating of each competency.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from .measurement.estimation import CompetencyEvidence
from .measurement.items import DONT_KNOW, RIGHT, WRONG, answer_rows
from .models import Attempt, Choice, MentorRating, PlacementAnswer, PlacementTest, Response, SelfRating
from .scoring import is_answer_correct


def latest_submitted_attempt_ids(*, learner_id: int) -> list[int]:
    """The most recent submitted attempt of each quiz."""
    seen: dict[int, int] = {}
    rows = (
        Attempt.objects.filter(learner_id=learner_id, state=Attempt.State.SUBMITTED)
        .order_by("quiz_id", "-submitted_at", "-id")
        .values_list("quiz_id", "id")
    )
    for quiz_id, attempt_id in rows:
        seen.setdefault(quiz_id, attempt_id)
    return list(seen.values())


def quiz_answers(*, attempt_ids: list[int]) -> list[tuple[int, int, str]]:
    """(question id, competency id, right / wrong) for each answered question of the attempts, in two queries."""
    chosen: dict[tuple[int, int], set[int]] = defaultdict(set)
    competency_of: dict[int, int] = {}
    rows = Response.objects.filter(attempt_id__in=attempt_ids, answered_at__isnull=False).values_list(
        "attempt_id", "question_id", "question__competency_id", "choices__id"
    )
    for attempt_id, question_id, competency_id, choice_id in rows:
        if choice_id is not None:
            chosen[(attempt_id, question_id)].add(choice_id)
            competency_of[question_id] = competency_id
    keys: dict[int, set[int]] = defaultdict(set)
    for question_id, choice_id in Choice.objects.filter(question_id__in=competency_of, is_correct=True).values_list(
        "question_id", "id"
    ):
        keys[question_id].add(choice_id)
    return [
        (
            question_id,
            competency_of[question_id],
            RIGHT if is_answer_correct(chosen=frozenset(ids), correct=frozenset(keys[question_id])) else WRONG,
        )
        for (_, question_id), ids in sorted(chosen.items())
    ]


def placement_answers(*, learner_id: int) -> list[tuple[int, int, str]]:
    """(question id, competency id, right / wrong / dont_know) of the latest finished placement test."""
    latest = (
        PlacementTest.objects.filter(learner_id=learner_id, state=PlacementTest.State.FINISHED)
        .order_by("-finished_at", "-id")
        .values_list("id", flat=True)
        .first()
    )
    if latest is None:
        return []
    return placement_outcomes(PlacementAnswer.objects.filter(test_id=latest))


def placement_outcomes(answers) -> list[tuple[int, int, str]]:
    """The answered rows of a placement test as (question id, competency id, right / wrong / dont_know)."""
    return [
        (question_id, competency_id, DONT_KNOW if dont_know else RIGHT if correct else WRONG)
        for question_id, competency_id, correct, dont_know in answers.filter(answered_at__isnull=False)
        .order_by("position")
        .values_list("question_id", "question__competency_id", "correct", "dont_know")
    ]


def latest_ratings(model, *, learner_id: int) -> dict[int, int]:
    latest: dict[int, int] = {}
    for competency_id, proficiency in (
        model.objects.filter(learner_id=learner_id)
        .order_by("competency_id", "-rated_at", "-id")
        .values_list("competency_id", "proficiency")
    ):
        latest.setdefault(competency_id, proficiency)
    return latest


def answers_evidence(
    answers: list[tuple[int, int, str]],
    item_params: Mapping[int, tuple[float, float, float]],
    evidence: dict[int, CompetencyEvidence] | None = None,
) -> dict[int, CompetencyEvidence]:
    """Add (question id, competency id, right / wrong / dont_know) answers to the evidence."""
    evidence = {} if evidence is None else evidence
    competency_of = {question_id: competency_id for question_id, competency_id, _ in answers}
    for question_id, row in answer_rows([(q, kind) for q, _, kind in answers], dict(item_params)):
        evidence.setdefault(competency_of[question_id], CompetencyEvidence()).answers.append(row)
    return evidence


def learner_evidence(
    *, learner_id: int, item_params: Mapping[int, tuple[float, float, float]]
) -> dict[int, CompetencyEvidence]:
    # Quizzes have no "I don't know yet"; each test's answers are read by their own rule.
    evidence = answers_evidence(
        quiz_answers(attempt_ids=latest_submitted_attempt_ids(learner_id=learner_id)), item_params
    )
    answers_evidence(placement_answers(learner_id=learner_id), item_params, evidence)
    for competency_id, rating in latest_ratings(SelfRating, learner_id=learner_id).items():
        evidence.setdefault(competency_id, CompetencyEvidence()).self_rating = rating
    for competency_id, rating in latest_ratings(MentorRating, learner_id=learner_id).items():
        evidence.setdefault(competency_id, CompetencyEvidence()).mentor_rating = rating
    return evidence
