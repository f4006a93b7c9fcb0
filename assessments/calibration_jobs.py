"""The calibration job: load every answer, analyse and calibrate each question, store the results.

The rules are in ``measurement/calibration.py``; this module only loads and saves, in a fixed number
of queries whatever the number of questions and answers. Bulk updates send no signals, so the job
bumps the content version itself (every process then reloads the item parameters) and, when some
question's parameters moved, asks for every learner's roadmap and standing to be recomputed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction

from roadmap.requests import roadmaps_request_all

from .content import content_changed, question_params
from .measurement.calibration import ChoiceRole, ItemAnswer, item_analysis, item_calibrate
from .measurement.items import ItemParams, item_prior
from .models import Attempt, Choice, CompetencyEstimate, PlacementAnswer, Question, Response
from .scoring import is_answer_correct

PARAMETER_DECIMALS = 2  # finer differences mean nothing, and must not trigger a recompute of every roadmap
SAVED_FIELDS = [
    "facility",
    "discrimination_index",
    "choice_shares",
    "answer_count",
    "flags",
    "analysed_at",
    "irt_discrimination",
    "irt_difficulty",
    "irt_answers",
]


@dataclass
class QuestionAnswers:
    analysed: list[ItemAnswer] = field(default_factory=list)
    latest: dict[int, tuple[datetime, bool]] = field(default_factory=dict)  # learner -> latest answer's time, right

    def add(self, *, learner_id: int, answered_at: datetime, answer: ItemAnswer) -> None:
        self.analysed.append(answer)
        if learner_id not in self.latest or answered_at >= self.latest[learner_id][0]:
            self.latest[learner_id] = (answered_at, answer.right)


def _quiz_answers(
    question_ids: Collection[int] | None, keys: dict[int, frozenset[int]], into: dict[int, QuestionAnswers]
) -> None:
    """Answers from submitted attempts, each with the share of the attempt's other questions right."""
    rows = Response.objects.filter(attempt__state=Attempt.State.SUBMITTED)
    if question_ids is not None:
        rows = rows.filter(attempt_id__in=Response.objects.filter(question_id__in=question_ids).values("attempt_id"))
    responses: dict[int, dict[int, tuple[int, datetime | None, set[int]]]] = defaultdict(dict)
    for attempt_id, learner_id, question_id, answered_at, choice_id in rows.values_list(
        "attempt_id", "attempt__learner_id", "question_id", "answered_at", "choices__id"
    ):
        _, _, chosen = responses[attempt_id].setdefault(question_id, (learner_id, answered_at, set()))
        if choice_id is not None:
            chosen.add(choice_id)
    for attempt in responses.values():
        right = {
            qid: bool(chosen) and at is not None and is_answer_correct(chosen=frozenset(chosen), correct=keys[qid])
            for qid, (_, at, chosen) in attempt.items()
        }
        total, others = sum(right.values()), len(attempt) - 1
        for qid, (learner_id, answered_at, chosen) in attempt.items():
            if answered_at is None or not chosen or (question_ids is not None and qid not in question_ids):
                continue  # left unanswered: not an answer
            rest = (total - right[qid]) / others if others else None
            answer = ItemAnswer(right=right[qid], chosen=frozenset(chosen), rest=rest)
            into[qid].add(learner_id=learner_id, answered_at=answered_at, answer=answer)


def _placement_answers(question_ids: Collection[int] | None, into: dict[int, QuestionAnswers]) -> None:
    rows = PlacementAnswer.objects.filter(answered_at__isnull=False)
    if question_ids is not None:
        rows = rows.filter(question_id__in=question_ids)
    answers: dict[int, tuple[int, int, datetime, bool, set[int]]] = {}
    for answer_id, learner_id, question_id, answered_at, correct, choice_id in rows.values_list(
        "id", "test__learner_id", "question_id", "answered_at", "correct", "choices__id"
    ):
        *_, chosen = answers.setdefault(answer_id, (learner_id, question_id, answered_at, bool(correct), set()))
        if choice_id is not None:
            chosen.add(choice_id)
    for learner_id, question_id, answered_at, right, chosen in answers.values():
        answer = ItemAnswer(right=right, chosen=frozenset(chosen))
        into[question_id].add(learner_id=learner_id, answered_at=answered_at, answer=answer)


def questions_recalibrate(*, now: datetime, question_ids: Collection[int] | None = None) -> int:
    """Analyse and calibrate every question (or only ``question_ids``) from all answers so far.

    Returns how many questions' item parameters changed. Idempotent: the same answers give the
    same stored figures, and no recompute is asked for.
    """
    questions = Question.objects.order_by("id")
    if question_ids is not None:
        question_ids = set(question_ids)
        questions = questions.filter(pk__in=question_ids)
    questions = list(questions)
    roles: dict[int, list[ChoiceRole]] = defaultdict(list)
    for choice_id, question_id, correct, retired in Choice.objects.order_by("order", "id").values_list(
        "id", "question_id", "is_correct", "retired"
    ):
        roles[question_id].append(ChoiceRole(id=choice_id, correct=correct, retired=retired))
    keys = defaultdict(frozenset, {qid: frozenset(c.id for c in rs if c.correct) for qid, rs in roles.items()})

    answers: dict[int, QuestionAnswers] = defaultdict(QuestionAnswers)
    _quiz_answers(question_ids, keys, answers)
    _placement_answers(question_ids, answers)
    estimates = CompetencyEstimate.objects.filter(competency_id__in={q.competency_id for q in questions})
    standing = {
        (learner_id, competency_id): (proficiency, spread)
        for learner_id, competency_id, proficiency, spread in estimates.values_list(
            "learner_id", "competency_id", "proficiency", "spread"
        )
    }

    changed = 0
    for question in questions:
        choice_count = sum(1 for c in roles[question.pk] if not c.retired)
        guessing = question_params(question, choice_count)[2]
        found = answers[question.pk]
        analysis = item_analysis(answers=found.analysed, choices=roles[question.pk], guessing=guessing)
        question.facility = analysis.facility
        question.discrimination_index = analysis.discrimination_index
        question.choice_shares = analysis.choice_shares
        question.answer_count = analysis.answer_count
        question.flags = ",".join(analysis.flags)
        question.analysed_at = now

        paired = [
            (right, *standing[(learner_id, question.competency_id)])
            for learner_id, (_, right) in found.latest.items()
            if (learner_id, question.competency_id) in standing
        ]
        authored = item_prior(
            difficulty_label=question.difficulty,
            single_choice=question.kind == Question.Kind.SINGLE,
            choices=choice_count,
        )
        calibration = item_calibrate(
            right=[row[0] for row in paired],
            proficiency=[row[1] for row in paired],
            spread=[row[2] for row in paired],
            prior=ItemParams(authored.discrimination, authored.difficulty, guessing),
        )
        if calibration is None:
            continue  # too few answers: the stored parameters (usually the authored prior) stay
        a = round(calibration.params.discrimination, PARAMETER_DECIMALS)
        b = round(calibration.params.difficulty, PARAMETER_DECIMALS)
        if (a, b) != (question.irt_discrimination, question.irt_difficulty):
            changed += 1
        question.irt_discrimination, question.irt_difficulty = a, b
        question.irt_answers = calibration.answers

    with transaction.atomic():
        Question.objects.bulk_update(questions, SAVED_FIELDS, batch_size=500)
        content_changed()
        if changed:
            roadmaps_request_all(reason="content: item calibration", now=now)
    return changed
