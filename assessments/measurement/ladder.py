"""The ladder model: one position on the ladder explains most of a learner's competencies.

A learner has a *ladder position* g (0 = Junior, 1 = Backend Developer, ... 4 = Backend Architecture
Manager; in between = partway). At position g, competency c is expected at ``m_c(g)``: the matrix's
required proficiencies for c, joined linearly between levels (and continued with slope 1 below the
first level and above the last). A real learner is uneven, so their proficiency in c is
``θ_c = m_c(g) + δ_c`` with δ_c ~ Normal(0, SPREAD). So an answer about one competency says something
about g, and through g about every other competency, in proportion to how much that competency grows
between the levels in question: a competency that the matrix holds flat from Lead to Manager says
nothing about Lead versus Manager.

Everything is computed on grids: g and θ both over ``GRID`` (-1 ... 5, step 0.05).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

GRID = np.round(np.arange(-1.0, 5.0 + 1e-9, 0.05), 2)
SPREAD = 0.4  # sd of a competency around what the learner's ladder position predicts
# Before any answer the position is Normal(middle of the ladder, half its length): no level is favoured
# (on the shipped five-level ladder: Normal(2, 2²), centred on Senior).
MEETS_SHARE = 0.8  # a level is met when at least this share of its expectations is met (see estimation)


def expected_proficiency(requirements: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """m_c(g) for each competency (rows of ``requirements``, one column per level) at each position."""
    levels = requirements.shape[1]
    points = np.arange(levels)
    g = np.asarray(positions, dtype=float)
    out = np.empty((requirements.shape[0], g.size))
    if levels == 0:
        return out
    for row, req in enumerate(requirements.astype(float)):
        inside = np.interp(g, points, req)
        out[row] = np.where(g < 0, req[0] + g, np.where(g > levels - 1, req[-1] + (g - (levels - 1)), inside))
    return out


@dataclass
class LadderModel:
    """The matrix as arrays, with everything that does not depend on a learner precomputed."""

    competency_ids: tuple[int, ...]
    area_ids: tuple[int, ...]  # one per competency
    requirements: np.ndarray  # competencies × levels, required proficiency 0-4
    kernel: np.ndarray = field(init=False)  # competencies × g × θ: p(θ_c | g), rows sum to 1
    threshold_index: np.ndarray = field(init=False)  # competencies × levels: first θ index meeting the cell
    counted: np.ndarray = field(init=False)  # competencies × levels: the cell expects something (≥ 1)
    prior_met: np.ndarray = field(init=False)  # competencies × g × levels: P(cell met | g), no evidence
    log_position_prior: np.ndarray = field(init=False)

    level_count: int = 5

    def __post_init__(self) -> None:
        self.requirements = np.asarray(self.requirements, dtype=int).reshape(len(self.competency_ids), self.level_count)
        mean = expected_proficiency(self.requirements, GRID)  # C × G
        density = np.exp(-0.5 * ((GRID[None, None, :] - mean[:, :, None]) / SPREAD) ** 2)
        self.kernel = density / density.sum(axis=2, keepdims=True)
        # A cell is met when the proficiency, rounded to a whole step, reaches it: θ ≥ required - 0.5.
        self.threshold_index = np.searchsorted(GRID, self.requirements - 0.5 - 1e-9)
        self.counted = self.requirements >= 1
        self.prior_met = met_probability(self.kernel, self.threshold_index)
        middle = (self.level_count - 1) / 2
        self.log_position_prior = -0.5 * ((GRID - middle) / max(middle, 0.5)) ** 2
        self.index = {cid: i for i, cid in enumerate(self.competency_ids)}

    @property
    def levels(self) -> int:
        return self.level_count


def met_probability(weights: np.ndarray, threshold_index: np.ndarray) -> np.ndarray:
    """P(θ ≥ each level's threshold | g) from unnormalised θ weights (competencies × g × θ)."""
    tail = np.cumsum(weights[:, :, ::-1], axis=2)[:, :, ::-1]  # tail[c, g, t] = Σ_{θ ≥ t}
    tail = np.concatenate([tail, np.zeros(tail.shape[:2] + (1,))], axis=2)
    total = np.maximum(tail[:, :, :1], 1e-300)
    picked = np.take_along_axis(tail, threshold_index[:, None, :].repeat(tail.shape[1], axis=1), axis=2)
    return picked / total
