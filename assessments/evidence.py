"""What the database holds as evidence about a learner, in the estimator's terms.

A fixed number of queries whatever the learner's history. Which answers count:

- the latest submitted attempt of each quiz (a retake replaces what the earlier one said), and only
  the questions answered in it: a question left unanswered is not evidence of ignorance;
- every answered question of the learner's latest finished placement test;
- the answered questions of the latest finished re-check of each competency (roadmap/rechecks.py);
- the latest self-rating and the latest mentor rating of each competency.

``learners_evidence`` reads it for many learners at once (a roadmap recompute's chunk) in the same
fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from .measurement.estimation import CompetencyEvidence
from .measurement.items import DONT_KNOW, RIGHT, WRONG, answer_rows
from .models import Attempt, Choice, MentorRating, PlacementAnswer, PlacementTest, Response, SelfRating
from .scoring import is_answer_correct


@dataclass
class LearnerEvidence:
    """One learner's evidence per competency, and their latest ratings as the standing stores them."""

    competencies: dict[int, CompetencyEvidence] = field(default_factory=dict)
    self_ratings: dict[int, tuple[int, datetime]] = field(default_factory=dict)  # competency -> (rating, when)
    mentor_rating_ids: dict[int, int] = field(default_factory=dict)  # competency -> latest MentorRating id


def _latest_attempt_ids(learner_ids: list[int]) -> dict[int, int]:
    """attempt id -> learner id: the most recent submitted attempt of each (learner, quiz)."""
    seen: dict[tuple[int, int], int] = {}
    owner: dict[int, int] = {}
    rows = (
        Attempt.objects.filter(learner_id__in=learner_ids, state=Attempt.State.SUBMITTED)
        .order_by("learner_id", "quiz_id", "-submitted_at", "-id")
        .values_list("learner_id", "quiz_id", "id")
    )
    for learner_id, quiz_id, attempt_id in rows:
        if (learner_id, quiz_id) not in seen:
            seen[(learner_id, quiz_id)] = attempt_id
            owner[attempt_id] = learner_id
    return owner


def quiz_answers(*, attempt_ids) -> dict[int, list[tuple[int, int, str]]]:
    """Per attempt, (question id, competency id, right / wrong) for each answered question, in two queries."""
    chosen: dict[tuple[int, int], set[int]] = defaultdict(set)
    competency_of: dict[int, int] = {}
    rows = Response.objects.filter(attempt_id__in=list(attempt_ids), answered_at__isnull=False).values_list(
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
    answers: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for (attempt_id, question_id), ids in sorted(chosen.items()):
        right = is_answer_correct(chosen=frozenset(ids), correct=frozenset(keys[question_id]))
        answers[attempt_id].append((question_id, competency_of[question_id], RIGHT if right else WRONG))
    return answers


def _latest_placement_answers(learner_ids: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    """Per learner, the answers of their latest finished placement test, in two queries."""
    latest: dict[int, int] = {}
    for learner_id, test_id in (
        PlacementTest.objects.filter(learner_id__in=learner_ids, state=PlacementTest.State.FINISHED)
        .order_by("learner_id", "-finished_at", "-id")
        .values_list("learner_id", "id")
    ):
        latest.setdefault(learner_id, test_id)
    owner = {test_id: learner_id for learner_id, test_id in latest.items()}
    answers: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    if owner:
        for test_id, *row in placement_rows(PlacementAnswer.objects.filter(test_id__in=owner)):
            answers[owner[test_id]].append(tuple(row))
    return answers


def placement_rows(answers) -> list[tuple[int, int, int, str]]:
    """The answered rows as (test id, question id, competency id, right / wrong / dont_know), in order."""
    return [
        (test_id, question_id, competency_id, DONT_KNOW if dont_know else RIGHT if correct else WRONG)
        for test_id, question_id, competency_id, correct, dont_know in answers.filter(answered_at__isnull=False)
        .order_by("test_id", "position")
        .values_list("test_id", "question_id", "question__competency_id", "correct", "dont_know")
    ]


def placement_outcomes(answers) -> list[tuple[int, int, str]]:
    """The answered rows of a placement test as (question id, competency id, right / wrong / dont_know)."""
    return [row[1:] for row in placement_rows(answers)]


def _latest_recheck_answers(learner_ids: list[int]) -> dict[int, list[tuple[int, int, str]]]:
    """Per learner, the answered questions of their latest finished re-check of each competency, in
    one query (a later re-check replaces what an earlier one said, as a quiz retake does)."""
    from roadmap.models import Recheck, RecheckAnswer

    latest: dict[tuple[int, int], int] = {}
    answers: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
    for learner_id, competency_id, recheck_id, question_id, correct in (
        RecheckAnswer.objects.filter(
            recheck__learner_id__in=learner_ids,
            recheck__state__in=[Recheck.State.PASSED, Recheck.State.FAILED],
            answered_at__isnull=False,
        )
        .order_by("recheck__learner_id", "recheck__competency_id", "-recheck__finished_at", "-recheck_id", "position")
        .values_list("recheck__learner_id", "recheck__competency_id", "recheck_id", "question_id", "correct")
    ):
        if latest.setdefault((learner_id, competency_id), recheck_id) == recheck_id:
            answers[learner_id].append((question_id, competency_id, RIGHT if correct else WRONG))
    return answers


def _latest_ratings(model, learner_ids: list[int], extra: str):
    """(learner, competency, proficiency, ``extra``) of each learner's latest rating per competency."""
    seen: set[tuple[int, int]] = set()
    for row in (
        model.objects.filter(learner_id__in=learner_ids)
        .order_by("learner_id", "competency_id", "-rated_at", "-id")
        .values_list("learner_id", "competency_id", "proficiency", extra)
    ):
        if row[:2] not in seen:
            seen.add(row[:2])
            yield row


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


def learners_evidence(
    *, learner_ids, item_params: Mapping[int, tuple[float, float, float]]
) -> dict[int, LearnerEvidence]:
    """Every learner's evidence, in a fixed number of queries however many learners and answers."""
    ids = list(learner_ids)
    found = {learner_id: LearnerEvidence() for learner_id in ids}
    # Quizzes have no "I don't know yet"; each test's answers are read by their own rule.
    attempts = _latest_attempt_ids(ids)
    for attempt_id, answers in quiz_answers(attempt_ids=attempts).items():
        answers_evidence(answers, item_params, found[attempts[attempt_id]].competencies)
    for learner_id, answers in _latest_placement_answers(ids).items():
        answers_evidence(answers, item_params, found[learner_id].competencies)
    for learner_id, answers in _latest_recheck_answers(ids).items():
        answers_evidence(answers, item_params, found[learner_id].competencies)
    for learner_id, competency_id, proficiency, rated_at in _latest_ratings(SelfRating, ids, "rated_at"):
        found[learner_id].self_ratings[competency_id] = (proficiency, rated_at)
        found[learner_id].competencies.setdefault(competency_id, CompetencyEvidence()).self_rating = proficiency
    for learner_id, competency_id, proficiency, rating_id in _latest_ratings(MentorRating, ids, "id"):
        found[learner_id].mentor_rating_ids[competency_id] = rating_id
        found[learner_id].competencies.setdefault(competency_id, CompetencyEvidence()).mentor_rating = proficiency
    return found
