"""Scoring rules for answers and the shapes pages show; the measurement itself is in ``measurement``.

- Is an answer right: all-or-nothing for multiple choice. A quiz's score is the share of its
  questions answered right (a report of the attempt, not a measurement: unanswered counts as wrong
  here, while the estimator simply leaves it out).
- ``Estimate`` and ``CurrentProficiency`` are what pages show per competency, read from the stored
  standing (``assessments.standing``); ``ExpectationsMet`` counts progress into a level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ChoiceIds = frozenset[int]
MAX_PROFICIENCY = 4


def is_answer_correct(*, chosen: ChoiceIds, correct: ChoiceIds) -> bool:
    """All or nothing: a multiple-choice answer is right only with every correct choice and no other."""
    return bool(correct) and chosen == correct


def score_fraction(*, answers: Mapping[int, ChoiceIds], keys: Mapping[int, ChoiceIds]) -> float:
    """Share of the quiz's questions (``keys``) answered correctly; unanswered questions count as wrong."""
    if not keys:
        return 0.0
    right = sum(
        1 for qid, correct in keys.items() if is_answer_correct(chosen=answers.get(qid, frozenset()), correct=correct)
    )
    return right / len(keys)


def proficiency_step(value: float) -> int:
    """A continuous proficiency as a whole step of the 0-4 scale (half rounds up)."""
    return max(0, min(MAX_PROFICIENCY, math.floor(value + 0.5)))


@dataclass(frozen=True)
class Estimate:
    """What the answers alone say about a competency: posterior mean and sd, and how many answers."""

    proficiency: float  # 0-4
    spread: float  # posterior standard deviation, in proficiency steps
    questions: int

    @property
    def confidence(self) -> str:
        if self.spread <= 0.5:
            return "high"
        if self.spread <= 0.75:
            return "medium"
        return "low"

    @property
    def step(self) -> int:
        return proficiency_step(self.proficiency)


@dataclass(frozen=True)
class CurrentProficiency:
    """Everything known about a competency combined (answers, self-rating, mentor rating)."""

    value: float  # 0-4
    spread: float
    sources: tuple[str, ...]  # which of "quiz", "self", "mentor" contributed

    @property
    def step(self) -> int:
        return proficiency_step(self.value)

    @property
    def cautious_value(self) -> float:
        """The proficiency the learner has with about 70% probability."""
        return self.value - CAUTIOUS_SDS * self.spread

    @property
    def cautious_step(self) -> int:
        """The step the learner has with about 70% probability: what a plan may take as done. One
        right answer (2.96 ± 1.32) must not clear a competency that well-measured 2.96 ± 0.3 would."""
        return proficiency_step(self.cautious_value)


CAUTIOUS_SDS = 0.52  # one-sided 70% of a normal posterior


@dataclass(frozen=True)
class ExpectationsMet:
    """Progress into a level: its expectations met by assessed competencies, and how many are not assessed."""

    met: int
    total: int
    not_assessed: int

    @property
    def progress(self) -> float:
        return self.met / self.total if self.total else 0.0


def expectations_met(
    *, steps: Mapping[int, int], required: Mapping[int, int], competencies: Iterable[int]
) -> ExpectationsMet:
    """Count a level's expectations (cells asking for 1 or more) that the known steps meet."""
    cells = [cid for cid in competencies if required.get(cid, 0) >= 1]
    met = sum(1 for cid in cells if cid in steps and steps[cid] >= required[cid])
    return ExpectationsMet(met=met, total=len(cells), not_assessed=sum(1 for cid in cells if cid not in steps))
