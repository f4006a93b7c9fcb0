"""What learners' answers say about each question: item analysis and item calibration.

For content authors
-------------------
Every night the app looks at every answer given to each question (quiz attempts once submitted, and
placement tests) and stores two things, shown in the Question admin.

*Item analysis* describes the answers as they are, without any model:

- **facility**: the share of answers that were right (0.85 = 85% right). Unanswered questions are
  not answers and are left out.
- **discrimination index**: do learners who get this question right also do well on the rest of the
  quiz? The correlation (point-biserial) between right/wrong here and the share of the *other*
  questions of the same attempt answered right. Around 0.3 or more is healthy; near 0 the question
  measures something else than its quiz; below 0 the stronger learners get it wrong more often than
  the weaker ones, which usually means a wrong key or a trap that only experts fall into. Placement
  tests ask different questions of different learners, so only quiz attempts count here.
- **choice shares**: how often each choice is picked (for multiple choice a learner picks several,
  so the shares add up to more than 100%).
- **flags**, raised only once a question has at least ``MIN_ANSWERS`` answers (fewer say too little):
  ``negative-discrimination`` (index below 0: check the key and the wording), ``unused-distractor``
  (a wrong choice picked by fewer than 2%: nobody finds it plausible, so it only makes guessing
  easier; replace it), ``too-easy`` (more than 95% right: it tells nobody apart) and ``too-hard``
  (right hardly more often than by blind guessing: check the key, or the label may be far too low).

*Calibration* fits the item model (``items``) to the answers. Each answer is paired with the
learner's stored proficiency in the question's competency (their θ, with its uncertainty), and the
question's difficulty ``b`` and discrimination ``a`` are chosen to explain the answers best, while
staying close to the authored prior read from the difficulty label: the fewer answers, the closer.
Guessing ``c`` stays at its prior (one over the number of choices, or 5% for multiple choice), as
answers from a few hundred learners pin it down poorly. Below ``MIN_ANSWERS`` answers from learners
with a stored proficiency the question keeps its authored prior. A calibrated difficulty far from
the label's ``label - 0.6`` is worth a look: either the label or the question is off.

How the fit works (for developers)
----------------------------------
Maximum a posteriori over (log a, b) with priors log a ~ Normal(log a₀, ``LOG_A_PRIOR_SD``) and
b ~ Normal(b₀, ``B_PRIOR_SD``), bounded to ``A_BOUNDS`` and ``B_BOUNDS``. The stored proficiency is
a posterior (mean and spread), not a known θ: treating the mean as exact would flatten the fitted
curve (a too low), so each answer's probability is averaged over θ ~ Normal(proficiency, spread)
with ``GAUSS_HERMITE_POINTS``-point Gauss-Hermite quadrature. Two approximations, accepted: the
proficiency was estimated with the current parameters of the very questions being calibrated (the
usual fixed-θ calibration; the daily rerun lets the two settle), and it is the learner's standing
now, so only each learner's latest answer to a question is used (the job picks it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .items import ItemParams, p_correct

MIN_ANSWERS = 30  # answers before flags are raised or parameters move off the authored prior
LOG_A_PRIOR_SD = 0.3
B_PRIOR_SD = 0.5
A_BOUNDS = (0.3, 4.0)
B_BOUNDS = (-1.0, 5.0)
GAUSS_HERMITE_POINTS = 5
TOO_EASY = 0.95  # facility above this
TOO_HARD_MARGIN = 0.05  # facility below guessing + this
UNUSED_SHARE = 0.02  # a distractor picked by fewer than this share of answers

NEGATIVE_DISCRIMINATION = "negative-discrimination"
UNUSED_DISTRACTOR = "unused-distractor"
TOO_EASY_FLAG = "too-easy"
TOO_HARD_FLAG = "too-hard"
FLAGS = (NEGATIVE_DISCRIMINATION, UNUSED_DISTRACTOR, TOO_EASY_FLAG, TOO_HARD_FLAG)


@dataclass(frozen=True)
class ItemAnswer:
    """One answer to a question. ``rest``: the share of the attempt's other questions answered right
    (None for a placement answer, or an attempt of one question)."""

    right: bool
    chosen: frozenset[int]
    rest: float | None = None


@dataclass(frozen=True)
class ChoiceRole:
    id: int
    correct: bool
    retired: bool = False


@dataclass(frozen=True)
class ItemAnalysis:
    facility: float | None  # None without answers
    discrimination_index: float | None  # None when it cannot be computed (too few attempt answers, no spread)
    choice_shares: dict[str, float]  # choice id as a string (JSON keys) -> share of answers picking it
    answer_count: int
    flags: tuple[str, ...]


@dataclass(frozen=True)
class ItemCalibration:
    params: ItemParams
    answers: int  # answers the estimate rests on


def point_biserial(right: Sequence[bool], scores: Sequence[float]) -> float | None:
    """Pearson correlation between right/wrong and a score; None when either does not vary."""
    x = np.asarray(right, dtype=float)
    y = np.asarray(scores, dtype=float)
    if x.size < 2 or x.std() == 0 or y.std() == 0:
        return None
    return float(np.corrcoef(x, y)[0, 1])


def item_analysis(*, answers: Sequence[ItemAnswer], choices: Sequence[ChoiceRole], guessing: float) -> ItemAnalysis:
    """Facility, item-rest discrimination, choice shares and flags of one question from its answers."""
    count = len(answers)
    if not count:
        return ItemAnalysis(None, None, {str(choice.id): 0.0 for choice in choices}, 0, ())
    facility = sum(answer.right for answer in answers) / count
    shares = {str(choice.id): sum(choice.id in answer.chosen for answer in answers) / count for choice in choices}
    rested = [answer for answer in answers if answer.rest is not None]
    index = point_biserial([a.right for a in rested], [a.rest for a in rested])
    flags = []
    if index is not None and index < 0 and len(rested) >= MIN_ANSWERS:
        flags.append(NEGATIVE_DISCRIMINATION)
    if count >= MIN_ANSWERS:
        if any(not c.correct and not c.retired and shares[str(c.id)] < UNUSED_SHARE for c in choices):
            flags.append(UNUSED_DISTRACTOR)
        if facility > TOO_EASY:
            flags.append(TOO_EASY_FLAG)
        if facility < guessing + TOO_HARD_MARGIN:
            flags.append(TOO_HARD_FLAG)
    return ItemAnalysis(
        facility=facility,
        discrimination_index=index,
        choice_shares=shares,
        answer_count=count,
        flags=tuple(flags),
    )


def item_calibrate(
    *,
    right: Sequence[bool],
    proficiency: Sequence[float],
    spread: Sequence[float],
    prior: ItemParams,
) -> ItemCalibration | None:
    """The MAP (a, b) of one question from answers paired with the learners' proficiency (mean, sd),
    shrunk toward ``prior``; guessing stays at ``prior.guessing``. None below ``MIN_ANSWERS``."""
    y = np.asarray(right, dtype=bool)
    if y.size < MIN_ANSWERS:
        return None
    nodes, weights = np.polynomial.hermite.hermgauss(GAUSS_HERMITE_POINTS)
    weights = weights / math.sqrt(math.pi)
    theta = (
        np.asarray(proficiency, dtype=float)[:, None]
        + math.sqrt(2.0) * np.asarray(spread, dtype=float)[:, None] * nodes[None, :]
    )  # answers × quadrature points
    log_a0, b0, c = math.log(prior.discrimination), prior.difficulty, prior.guessing

    def negative_log_posterior(x: np.ndarray) -> float:
        log_a, b = x
        p = p_correct(theta, math.exp(log_a), b, c) @ weights
        p = np.clip(p, 1e-12, 1 - 1e-12)
        log_lik = np.where(y, np.log(p), np.log1p(-p)).sum()
        log_prior = -0.5 * ((log_a - log_a0) / LOG_A_PRIOR_SD) ** 2 - 0.5 * ((b - b0) / B_PRIOR_SD) ** 2
        return -(log_lik + log_prior)

    bounds = [(math.log(A_BOUNDS[0]), math.log(A_BOUNDS[1])), B_BOUNDS]
    start = np.clip([log_a0, b0], [lo for lo, _ in bounds], [hi for _, hi in bounds])
    fit = minimize(negative_log_posterior, start, method="L-BFGS-B", bounds=bounds)
    log_a, b = fit.x
    return ItemCalibration(
        params=ItemParams(discrimination=float(math.exp(log_a)), difficulty=float(b), guessing=c), answers=int(y.size)
    )
