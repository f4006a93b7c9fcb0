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


def p_correct(theta, a, b, c) -> np.ndarray:
    """P(right | θ) for arrays that broadcast (θ on one axis, items on another)."""
    return c + (1.0 - SLIP - c) / (1.0 + np.exp(-a * (np.asarray(theta) - b)))
