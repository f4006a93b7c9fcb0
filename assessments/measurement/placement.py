"""The adaptive placement test ("Find my level"): which question next, and when to stop.

Each next question is the one that tells most about the learner's *level* where the posterior
currently puts them: the item's Fisher information about the ladder position g, averaged over
p(g | answers so far) weighted by how undecided the level is at each g (the ladder rule's own
uncertainty, high at the boundaries between levels and low deep inside one): a placement test
classifies, so information at a boundary is worth more than information where the level is
already clear. An item's information about g is its information about θ_c times how fast the matrix makes c
grow at g, so near the Lead/Manager boundary the test turns by itself to the competencies that
differ between those levels. Content balance: at most ``PER_AREA`` questions from one area and
``PER_COMPETENCY`` from one competency. Exposure control ("randomesque"): the next question is drawn
at random among the ``EXPOSURE_TOP`` most informative, so the best items are not shown to everyone.

The test stops when the most probable level reaches ``STOP_CERTAINTY`` (after at least
``MIN_QUESTIONS``), at ``MAX_QUESTIONS`` when the decision is reasonably clear, and at ``HARD_CAP``
in any case.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .estimation import met_given_position
from .items import p_correct
from .ladder import GRID, LadderModel

MIN_QUESTIONS = 8
MAX_QUESTIONS = 20
HARD_CAP = 25
STOP_CERTAINTY = 0.85
CONTINUE_BELOW = 0.7  # past MAX_QUESTIONS, go on (up to HARD_CAP) only while the level is this unsure
PER_AREA = 5
PER_COMPETENCY = 2
EXPOSURE_TOP = 2
DECISION_FLOOR = 0.02  # some weight everywhere, so a posterior far from any boundary still picks well


@dataclass
class ItemBank:
    """The questions the placement test draws from, as arrays aligned by position."""

    question_ids: np.ndarray
    rows: np.ndarray  # the competency's row in the ladder model
    area_ids: np.ndarray
    params: np.ndarray  # questions × (a, b, c)
    information: np.ndarray  # questions × g: Fisher information about the ladder position
    decision_weight: np.ndarray  # g: how undecided the level is at g (high near the boundaries)

    def index_of(self, question_id: int) -> int:
        return int(np.flatnonzero(self.question_ids == question_id)[0])


def item_bank(model: LadderModel, questions: Sequence[tuple[int, int, float, float, float]]) -> ItemBank:
    """``questions``: (question id, competency id, a, b, c); questions of unknown competencies are left out."""
    kept = [q for q in questions if q[1] in model.index]
    rows = np.asarray([model.index[q[1]] for q in kept], dtype=int)
    params = np.asarray([q[2:5] for q in kept], dtype=float).reshape(-1, 3)
    on_theta = p_correct(GRID[None, :], params[:, :1], params[:, 1:2], params[:, 2:3])  # questions × θ
    marginal = np.einsum("qgt,qt->qg", model.kernel[rows], on_theta)  # P(right | g)
    slope = np.gradient(marginal, GRID, axis=1)
    information = slope**2 / np.clip(marginal * (1.0 - marginal), 1e-9, None)
    met = met_given_position(model, model.prior_met, list(range(len(model.competency_ids))), np.ones(GRID.size, bool))
    return ItemBank(
        question_ids=np.asarray([q[0] for q in kept], dtype=int),
        rows=rows,
        area_ids=np.asarray([model.area_ids[r] for r in rows], dtype=int),
        params=params,
        information=information,
        decision_weight=(met[:, 1:] * (1.0 - met[:, 1:])).sum(axis=1) + DECISION_FLOOR,
    )


def next_question(bank: ItemBank, position: np.ndarray, asked: Sequence[int], rng: np.random.Generator) -> int | None:
    """The bank index of the next question, or None when nothing eligible is left."""
    eligible = np.ones(len(bank.question_ids), dtype=bool)
    eligible[list(asked)] = False
    for area_id, n in Counter(int(bank.area_ids[i]) for i in asked).items():
        if n >= PER_AREA:
            eligible &= bank.area_ids != area_id
    for row, n in Counter(int(bank.rows[i]) for i in asked).items():
        if n >= PER_COMPETENCY:
            eligible &= bank.rows != row
    if not eligible.any():
        return None
    value = bank.information @ (position * bank.decision_weight)
    candidates = np.flatnonzero(eligible)
    best = candidates[np.argsort(-value[candidates], kind="stable")[:EXPOSURE_TOP]]
    return int(rng.choice(best))


def should_stop(*, answered: int, level_probabilities: np.ndarray | None) -> bool:
    if answered >= HARD_CAP:
        return True
    if level_probabilities is None or answered < MIN_QUESTIONS:
        return False
    certainty = float(level_probabilities.max())
    if certainty >= STOP_CERTAINTY:
        return True
    return answered >= MAX_QUESTIONS and certainty >= CONTINUE_BELOW
