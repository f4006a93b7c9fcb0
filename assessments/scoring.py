"""Scoring rules: plain functions over plain data, no database or HTTP.

Proficiency estimate (0-4) per competency, from quiz answers
----------------------------------------------------------------
A one-parameter logistic (Rasch) model: a learner of proficiency θ answers a question of
difficulty d correctly with probability ``1 / (1 + exp(-SLOPE * (θ - b(d))))``, where
``b(d) = d - 1`` puts junior questions (d=1) at θ=0 ... architect questions (d=5) at θ=4. So the
same number of right answers says more when the questions were harder: three right out of three
senior questions estimates higher than three right out of three junior ones.

θ is computed on a grid over [0, 4] with a broad normal prior centred on the middle of the scale
(so a handful of answers gives a finite, cautious estimate instead of 0 or 4). The estimate is the
posterior mean and the ``spread`` is the posterior standard deviation: few questions -> wide
spread -> low confidence.

Current proficiency: combining the sources
------------------------------------------
A weighted mean of what is known: the latest self-rating (weight 1), the latest mentor rating
(weight 3) and the quiz estimate (weight 3, 2 or 1 for high, medium or low confidence). So a
mentor's rating and a confident quiz estimate outweigh a self-rating, while a one-question
estimate counts no more than it. The quiz estimate's spread is kept alongside the value.

Ladder position
---------------
A learner meets an expectation when their proficiency, rounded to the nearest whole step, is at
least the level's required proficiency. Their level is the highest level whose expectations are
all met, walking up the ladder; ``progress`` is the share of the next level's expectations
already met.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

ChoiceIds = frozenset[int]

SLOPE = 2.0
PRIOR_MEAN = 2.0
PRIOR_SD = 2.0
GRID = [i / 50 for i in range(0, 201)]  # 0.00 .. 4.00
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


@dataclass(frozen=True)
class Outcome:
    """One graded question: its difficulty (1-5) and whether the learner got it right."""

    difficulty: int
    correct: bool


@dataclass(frozen=True)
class Estimate:
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


def _p_correct(theta: float, difficulty: int) -> float:
    return 1.0 / (1.0 + math.exp(-SLOPE * (theta - (difficulty - 1))))


def proficiency_estimate(outcomes: Sequence[Outcome]) -> Estimate | None:
    """The learner's proficiency from graded questions of one competency; None without any answer."""
    if not outcomes:
        return None
    log_posterior = []
    for theta in GRID:
        log_p = -((theta - PRIOR_MEAN) ** 2) / (2 * PRIOR_SD**2)
        for outcome in outcomes:
            p = _p_correct(theta, outcome.difficulty)
            log_p += math.log(p if outcome.correct else 1.0 - p)
        log_posterior.append(log_p)
    peak = max(log_posterior)
    weights = [math.exp(value - peak) for value in log_posterior]
    total = sum(weights)
    mean = sum(t * w for t, w in zip(GRID, weights, strict=True)) / total
    variance = sum((t - mean) ** 2 * w for t, w in zip(GRID, weights, strict=True)) / total
    return Estimate(proficiency=round(mean, 2), spread=round(math.sqrt(variance), 2), questions=len(outcomes))


SELF_WEIGHT = 1.0
MENTOR_WEIGHT = 3.0
ESTIMATE_WEIGHT = {"high": 3.0, "medium": 2.0, "low": 1.0}


@dataclass(frozen=True)
class CurrentProficiency:
    value: float  # 0-4
    spread: float | None  # the quiz estimate's spread, when there is one
    sources: tuple[str, ...]  # which of "self", "quiz", "mentor" contributed

    @property
    def step(self) -> int:
        return proficiency_step(self.value)


def current_proficiency(
    *, self_rating: int | None, estimate: Estimate | None, mentor_rating: int | None = None
) -> CurrentProficiency | None:
    """Combine the evidence about one competency; None when there is none."""
    parts: list[tuple[str, float, float]] = []
    if self_rating is not None:
        parts.append(("self", float(self_rating), SELF_WEIGHT))
    if estimate is not None:
        parts.append(("quiz", estimate.proficiency, ESTIMATE_WEIGHT[estimate.confidence]))
    if mentor_rating is not None:
        parts.append(("mentor", float(mentor_rating), MENTOR_WEIGHT))
    if not parts:
        return None
    total = sum(weight for _, _, weight in parts)
    value = sum(v * weight for _, v, weight in parts) / total
    return CurrentProficiency(
        value=round(value, 2),
        spread=estimate.spread if estimate else None,
        sources=tuple(name for name, _, _ in parts),
    )


def proficiency_step(value: float) -> int:
    """A continuous proficiency as a whole step of the 0-4 scale (half rounds up)."""
    return max(0, min(MAX_PROFICIENCY, math.floor(value + 0.5)))


@dataclass(frozen=True)
class LadderPosition:
    level_index: int | None  # index into the ladder of the highest level fully met; None below the first
    next_index: int | None  # the level being worked towards; None at the top
    progress: float  # share (0-1) of the next level's expectations already met
    met: int  # expectations of the next level met
    total: int  # expectations of the next level


def ladder_position(
    *, proficiency: Mapping[int, float], requirements: Sequence[Mapping[int, int]], competencies: Iterable[int]
) -> LadderPosition:
    """Where a learner stands. ``requirements[i]`` maps competency id -> required proficiency at level i.

    Competencies the learner has no proficiency for count as 0. With no competencies there is
    nothing to meet: no level, nothing to work towards.
    """
    ids = list(competencies)
    if not ids:
        return LadderPosition(level_index=None, next_index=None, progress=0.0, met=0, total=0)
    level_index: int | None = None
    for index, required in enumerate(requirements):
        if all(proficiency_step(proficiency.get(cid, 0.0)) >= required.get(cid, 0) for cid in ids):
            level_index = index
        else:
            break
    next_index = 0 if level_index is None else level_index + 1
    if next_index >= len(requirements):
        return LadderPosition(level_index=level_index, next_index=None, progress=1.0, met=0, total=0)
    required = requirements[next_index]
    met = sum(1 for cid in ids if proficiency_step(proficiency.get(cid, 0.0)) >= required.get(cid, 0))
    total = len(ids)
    return LadderPosition(
        level_index=level_index, next_index=next_index, progress=met / total if total else 0.0, met=met, total=total
    )
