"""The item model: how likely a learner of proficiency θ (0-4 scale) answers a question right.

Three-parameter logistic (3PL) with a small slip: ``P(θ) = c + (1 - SLIP - c) / (1 + exp(-a (θ - b)))``

- ``b`` difficulty, on the proficiency scale: where a learner is halfway between guessing and sure;
- ``a`` discrimination: how sharply the question separates learners just below ``b`` from those above;
- ``c`` guessing: the chance of a right answer with no knowledge. Single choice: one over the number
  of choices. Multiple choice is scored all-or-nothing, so a blind guess is rarely right.

Before real answers exist, a question's parameters are an *authored prior* read from its
difficulty label (1 junior ... 5 architect): a question labelled for a level is answered right about
four times in five (above guessing) by someone who meets that level's typical expectation (the
label's number on the 0-4 scale, so b = label - 0.6). ``calibration`` replaces the prior with
estimates from answers once a question has enough of them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PRIOR_DISCRIMINATION = 1.7
DIFFICULTY_OFFSET = 0.6  # b = difficulty label - offset
MULTIPLE_CHOICE_GUESSING = 0.05
SLIP = 0.02


@dataclass(frozen=True)
class ItemParams:
    discrimination: float  # a
    difficulty: float  # b, on the 0-4 proficiency scale
    guessing: float  # c


def item_prior(*, difficulty_label: int, single_choice: bool, choices: int) -> ItemParams:
    """The authored prior of a question, from its difficulty label and format."""
    guessing = 1.0 / max(choices, 2) if single_choice else MULTIPLE_CHOICE_GUESSING
    return ItemParams(
        discrimination=PRIOR_DISCRIMINATION, difficulty=difficulty_label - DIFFICULTY_OFFSET, guessing=guessing
    )


RIGHT, WRONG, DONT_KNOW = "right", "wrong", "dont_know"


def dont_know_share(*, dont_know: int, wrong: int, guessing: float) -> float:
    """How often this learner says "I don't know yet" instead of guessing, from their own answers.

    When a learner does not know, they either say so (share u) or guess (right with chance c), so
    among their not-right answers the share saying so is about u / (u + (1 - u)(1 - c)). Solved for
    u, with half an answer of each kind added so a handful of answers gives a cautious value."""
    r = (dont_know + 0.5) / (dont_know + wrong + 1.0)
    return min(max(r * (1 - guessing) / (1 - r * guessing), 0.0), 1.0)


def answer_rows(
    outcomes: list[tuple[int, str]], params: dict[int, tuple[float, float, float]]
) -> list[tuple[int, tuple[float, float, float, bool]]]:
    """Answers as estimator rows ``(question id, (a, b, c, right))``.

    "I don't know yet" is a not-right answer that no guess could have made right (c = 0). A learner
    who uses it guesses less often, so on their other answers the chance of a lucky guess shrinks to
    c × (1 - u) (``dont_know_share``); a learner who never uses it keeps the full c."""
    kinds = [kind for _, kind in outcomes]
    typical_c = float(np.mean([params[q][2] for q, _ in outcomes if q in params] or [0.25]))
    u = (
        dont_know_share(dont_know=kinds.count(DONT_KNOW), wrong=kinds.count(WRONG), guessing=typical_c)
        if DONT_KNOW in kinds
        else 0.0
    )
    rows = []
    for question_id, kind in outcomes:
        if question_id not in params:
            continue
        a, b, c = params[question_id]
        rows.append((question_id, (a, b, 0.0, False) if kind == DONT_KNOW else (a, b, c * (1 - u), kind == RIGHT)))
    return rows


def p_correct(theta, a, b, c) -> np.ndarray:
    """P(right | θ) for arrays that broadcast (θ on one axis, items on another)."""
    return c + (1.0 - SLIP - c) / (1.0 + np.exp(-a * (np.asarray(theta) - b)))
