"""From evidence to posteriors: each competency's proficiency and the probability of each level.

Evidence about competency c is its answered questions (3PL, ``items``), the latest self-rating and
the latest mentor rating. Ratings are read as noisy measurements of θ_c: a mentor's with sd
``MENTOR_RATING_SD``; a learner's own with sd ``SELF_RATING_SD``, and because one learner's
self-ratings share one bias (everybody over- or under-rates in the same direction), all of them
together count at most as much as ``SELF_RATINGS_COUNT_AS`` independent ones. Questions left
unanswered are not evidence: they are simply absent.

The ladder rule
---------------
A level's expectation in c is met when θ_c, rounded to a whole step, reaches it. A level is met
when at least ``ladder.MEETS_SHARE`` (80%) of its expectations are met: nobody is perfectly even, and
one weak competency must not drop a learner a level. Levels are nested (requirements never fall up
the ladder), so P(level L) = P(L met) - P(L+1 met). Junior is the floor: everyone assessed is at
least Junior. The reported level is the most probable one, with its probability as the certainty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .items import p_correct
from .ladder import GRID, MEETS_SHARE, LadderModel, met_probability

SELF_RATING_SD = 0.8
SELF_RATINGS_COUNT_AS = 4
MENTOR_RATING_SD = 0.6
MAX_PROFICIENCY = 4
NEGLIGIBLE = 1e-5  # positions with less than this share of the most likely one are left out of the level computation


@dataclass
class CompetencyEvidence:
    """What is known about one competency. ``answers`` rows: (a, b, c, right)."""

    answers: list[tuple[float, float, float, bool]] = field(default_factory=list)
    self_rating: int | None = None
    mentor_rating: int | None = None

    def __bool__(self) -> bool:
        return bool(self.answers) or self.self_rating is not None or self.mentor_rating is not None


@dataclass(frozen=True)
class CompetencyPosterior:
    mean: float  # on the latent scale (may fall outside 0-4); ``proficiency`` clips it
    sd: float
    assessed: bool  # there is direct evidence (an answer or a rating); otherwise inferred from the ladder
    answers: int

    @property
    def proficiency(self) -> float:
        return min(MAX_PROFICIENCY, max(0.0, self.mean))


@dataclass
class Posterior:
    position: np.ndarray  # p(g | evidence) over ladder.GRID
    competencies: dict[int, CompetencyPosterior]
    level_probabilities: np.ndarray | None  # one per level, sums to 1; None with no evidence at all
    area_level_probabilities: dict[int, np.ndarray | None]

    @property
    def assessed(self) -> bool:
        return self.level_probabilities is not None


def theta_log_likelihood(evidence: CompetencyEvidence, *, self_weight: float = 1.0) -> np.ndarray:
    """log p(evidence about c | θ_c) over the grid."""
    log_lik = np.zeros_like(GRID)
    if evidence.answers:
        rows = np.asarray([row[:3] for row in evidence.answers], dtype=float)
        right = np.asarray([row[3] for row in evidence.answers], dtype=bool)
        p = p_correct(GRID[None, :], rows[:, :1], rows[:, 1:2], rows[:, 2:3])
        log_lik += np.where(right[:, None], np.log(p), np.log1p(-p)).sum(axis=0)
    if evidence.self_rating is not None:
        log_lik += self_weight * -0.5 * ((evidence.self_rating - GRID) / SELF_RATING_SD) ** 2
    if evidence.mentor_rating is not None:
        log_lik += -0.5 * ((evidence.mentor_rating - GRID) / MENTOR_RATING_SD) ** 2
    return log_lik


def _normalised(log_values: np.ndarray) -> np.ndarray:
    weights = np.exp(log_values - log_values.max())
    return weights / weights.sum()


def cells_needed(counted: np.ndarray) -> np.ndarray:
    """Per level, how many of its counted cells (competencies × levels) must be met: the ladder rule,
    shared by the estimator and by the simulator's true levels so the two can never drift apart."""
    return np.ceil(MEETS_SHARE * counted.sum(axis=0) - 1e-9).astype(int)


def met_given_position(model: LadderModel, met: np.ndarray, rows: list[int], keep: np.ndarray) -> np.ndarray:
    """P(each level met | g) for the positions ``keep``, over the competencies ``rows``.

    ``met[c, g, L]`` is P(cell met | g). Given g the competencies are independent, so the number of
    met cells is Poisson-binomial, counted exactly. A level is met when its missed cells number at
    most ``allowed`` (20% of its cells), so the count runs over misses and stops at ``allowed + 1``
    ("more"): exact, and a fifth of the work of counting every met cell.
    """
    counted = model.counted[rows]  # rows × levels
    allowed = counted.sum(axis=0) - cells_needed(counted)  # per level: misses it tolerates
    top = int(allowed.max(initial=0)) + 1  # the bin for "more than any level tolerates"
    misses = (1.0 - met[rows][:, keep, :]) * counted[:, None, :]  # rows × g × levels
    dist = np.zeros(misses.shape[1:] + (top + 1,))
    dist[..., 0] = 1.0
    for q in misses:
        moved = dist * q[..., None]
        dist -= moved
        dist[..., 1:] += moved[..., :-1]
        dist[..., top] += moved[..., top]  # "more" stays "more"
    within = np.cumsum(dist, axis=-1)  # within[..., k] = P(misses ≤ k)
    return np.take_along_axis(within, allowed[None, :, None].repeat(within.shape[0], axis=0), axis=-1)[..., 0]


def level_probabilities(
    model: LadderModel, position: np.ndarray, met: np.ndarray, rows: Iterable[int] | None = None
) -> np.ndarray | None:
    """P(each level) for the competencies ``rows`` (all by default), averaged over p(g | evidence)."""
    rows = list(range(len(model.competency_ids)) if rows is None else rows)
    if not rows or model.levels == 0:
        return None
    keep = position > NEGLIGIBLE * position.max()
    weights = position[keep] / position[keep].sum()
    level_met = weights @ met_given_position(model, met, rows, keep)
    # A level that expects nothing of these competencies (a manager's area at Backend Developer)
    # tells nothing: it is reached only together with the next level that does expect something.
    expected = model.counted[rows].any(axis=0)
    for level in range(model.levels - 1, 0, -1):
        if not expected[level]:
            level_met[level] = level_met[level + 1] if level + 1 < model.levels else 0.0
    level_met[0] = 1.0  # the first level is the floor
    level_met = np.minimum.accumulate(np.clip(level_met, 0.0, 1.0))
    return np.append(level_met[:-1] - level_met[1:], level_met[-1])


def posterior(
    model: LadderModel, evidence: Mapping[int, CompetencyEvidence], *, areas: bool = True, levels: bool = True
) -> Posterior:
    """Everything the evidence says, for every competency of the model and (unless ``levels`` is
    off: competencies only) every level, overall and (``areas``) per area."""
    rated = sum(1 for e in evidence.values() if e.self_rating is not None)
    self_weight = min(1.0, SELF_RATINGS_COUNT_AS / rated) if rated else 1.0
    direct = {model.index[cid]: e for cid, e in evidence.items() if e and cid in model.index}
    log_lik = {row: theta_log_likelihood(e, self_weight=self_weight) for row, e in direct.items()}
    lik = {row: np.exp(values - values.max()) for row, values in log_lik.items()}
    per_position = {row: np.maximum(model.kernel[row] @ values, 1e-300) for row, values in lik.items()}
    log_position = model.log_position_prior + sum((np.log(v) for v in per_position.values()), np.zeros_like(GRID))
    position = _normalised(log_position)

    # θ of each competency: from the position for those without evidence; for those with, from the
    # position the *other* evidence gives, times their own likelihood (all rows at once).
    theta = np.einsum("g,cgt->ct", position, model.kernel)
    met = model.prior_met.copy()
    if lik:
        rows = sorted(lik)
        own = np.stack([lik[row] for row in rows])  # rows × θ
        without = position[None, :] / np.stack([per_position[row] for row in rows])
        without /= without.sum(axis=1, keepdims=True)
        theta[rows] = np.einsum("rg,rgt->rt", without, model.kernel[rows]) * own
        if levels:  # P(cell met | g) from the own evidence, where the level computation looks
            kept = np.flatnonzero(position > NEGLIGIBLE * position.max())
            met[np.ix_(rows, kept)] = met_probability(
                model.kernel[np.ix_(rows, kept)] * own[:, None, :], model.threshold_index[rows]
            )
    theta /= theta.sum(axis=1, keepdims=True)
    means = theta @ GRID
    sds = np.sqrt(np.maximum(np.einsum("ct,ct->c", theta, (GRID[None, :] - means[:, None]) ** 2), 0.0))
    competencies = {
        cid: CompetencyPosterior(
            mean=float(means[row]),
            sd=float(sds[row]),
            assessed=row in lik,
            answers=len(direct[row].answers) if row in direct else 0,
        )
        for row, cid in enumerate(model.competency_ids)
    }
    if not direct or not levels:
        return Posterior(position, competencies, None, {})
    by_area: dict[int, list[int]] = {}
    for row, area_id in enumerate(model.area_ids):
        by_area.setdefault(area_id, []).append(row)
    return Posterior(
        position=position,
        competencies=competencies,
        level_probabilities=level_probabilities(model, position, met),
        area_level_probabilities=(
            {area_id: level_probabilities(model, position, met, rows) for area_id, rows in by_area.items()}
            if areas
            else {}
        ),
    )


def level_of(model: LadderModel, theta: np.ndarray) -> int:
    """The ladder rule applied to known proficiencies (one per competency row): the highest level
    with at least ``MEETS_SHARE`` of its expectations met; the first level is the floor."""
    met = np.asarray(theta)[:, None] >= model.requirements - 0.5
    reached = (met & model.counted).sum(axis=0) >= cells_needed(model.counted)
    for level in range(model.levels - 1, 0, -1):
        if reached[: level + 1].all():
            return level
    return 0
