"""Learners of known level, answering through the app's own estimation and placement code.

The answers come from a model that differs from the app's, as real people do:

- each question's true parameters are the app's, perturbed: discrimination × exp(N(0, 0.25)),
  difficulty + N(0, 0.35), guessing raised for single choice (distractors that can be ruled out)
  and varied for multiple choice; and a 3% slip on every answer;
- in the placement test a learner who does not know says "I don't know yet" with a share of their
  own, uniform in 0-80% (some never do), and guesses otherwise; the app does not know that share;
- profiles are uneven in a way the app does not model: a shared offset per area (sd 0.25) plus an
  own offset per competency (sd 0.3) around what the learner's ladder position predicts.

A learner's true level is the ladder rule applied to their true proficiencies. Learners are drawn
in equal numbers per true level, uniform in ladder position within it, so boundary cases count as
much as clear ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .estimation import CompetencyEvidence, level_of, posterior
from .items import DONT_KNOW, RIGHT, WRONG, answer_rows, p_correct
from .ladder import LadderModel, expected_proficiency
from .placement import ItemBank, next_question, should_stop

POSITION_RANGE = (0.0, 4.6)
AREA_SD = 0.25
OWN_SD = 0.3
SLIP = 0.03
DONT_KNOW_SHARE = (0.0, 0.8)  # how often a learner who does not know says so, drawn per learner


@dataclass
class Learner:
    level: int
    theta: np.ndarray  # true proficiency per competency row
    dont_know_share: float = 0.0  # in the placement test: share of not-knowing moments said, not guessed


@dataclass
class Outcome:
    true_level: int
    placed_level: int
    questions: int
    covered: int  # assessed competencies whose true θ lies within the posterior mean ± sd
    assessed: int


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    levels: int = 5

    @property
    def exact(self) -> float:
        return 100 * np.mean([o.placed_level == o.true_level for o in self.outcomes])

    @property
    def within_one(self) -> float:
        return 100 * np.mean([abs(o.placed_level - o.true_level) <= 1 for o in self.outcomes])

    @property
    def median_questions(self) -> float:
        return float(np.median([o.questions for o in self.outcomes]))

    @property
    def coverage(self) -> float:
        assessed = sum(o.assessed for o in self.outcomes)
        return 100 * sum(o.covered for o in self.outcomes) / assessed if assessed else 0.0

    def confusion(self) -> np.ndarray:
        matrix = np.zeros((self.levels, self.levels), dtype=int)
        for o in self.outcomes:
            matrix[o.true_level, o.placed_level] += 1
        return matrix

    def line(self, name: str = "placement") -> str:
        return (
            f"{name}: exact {self.exact:.1f}%, within-one {self.within_one:.1f}%, "
            f"median questions {self.median_questions:g}, coverage {self.coverage:.1f}%"
        )


def true_items(bank: ItemBank, rng: np.random.Generator) -> np.ndarray:
    a, b, c = bank.params.T
    single = c > 0.1
    return np.column_stack(
        [
            a * np.exp(rng.normal(0, 0.25, a.size)),
            b + rng.normal(0, 0.35, b.size),
            np.where(single, np.clip(c + rng.uniform(-0.03, 0.1, c.size), 0, 0.6), rng.uniform(0.02, 0.12, c.size)),
        ]
    )


def learners(model: LadderModel, count: int, rng: np.random.Generator) -> list[Learner]:
    """``count`` learners, the same number at each true level (by rejection)."""
    wanted = [count // model.levels + (i < count % model.levels) for i in range(model.levels)]
    found: list[Learner] = []
    areas = np.asarray(model.area_ids)
    unique_areas = np.unique(areas)
    while any(wanted):
        positions = rng.uniform(*POSITION_RANGE, 256)
        means = expected_proficiency(model.requirements, positions)  # C × n
        for i in range(positions.size):
            offsets = dict(zip(unique_areas, rng.normal(0, AREA_SD, unique_areas.size), strict=True))
            theta = means[:, i] + np.asarray([offsets[a] for a in areas]) + rng.normal(0, OWN_SD, areas.size)
            level = level_of(model, theta)
            if wanted[level]:
                wanted[level] -= 1
                found.append(Learner(level=level, theta=theta, dont_know_share=rng.uniform(*DONT_KNOW_SHARE)))
    rng.shuffle(found)
    return found


def _answer(
    truth: np.ndarray, learner: Learner, bank: ItemBank, index: int, rng: np.random.Generator, *, can_pass: bool
) -> str:
    """Knows it (and does not slip): right. Otherwise says "I don't know yet" where the test offers
    it (with the learner's own share), or guesses."""
    a, b, c = truth[index]
    if rng.random() < float(p_correct(learner.theta[bank.rows[index]], a, b, 0.0)) * (1 - SLIP):
        return RIGHT
    if can_pass and rng.random() < learner.dont_know_share:
        return DONT_KNOW
    return RIGHT if rng.random() < c else WRONG


def _outcome(model: LadderModel, learner: Learner, evidence: dict[int, CompetencyEvidence], asked: int) -> Outcome:
    result = posterior(model, evidence, areas=False)
    placed = int(np.argmax(result.level_probabilities))
    covered = assessed = 0
    for row, cid in enumerate(model.competency_ids):
        estimate = result.competencies[cid]
        if estimate.assessed:
            assessed += 1
            covered += abs(learner.theta[row] - estimate.mean) <= estimate.sd
    return Outcome(learner.level, placed, asked, covered, assessed)


def _evidence(bank: ItemBank, model: LadderModel, asked: list[int], kinds: list[str]):
    """The same rule the app applies to answers (``items.answer_rows``), keyed by bank index."""
    params = {index: tuple(bank.params[index]) for index in asked}
    evidence: dict[int, CompetencyEvidence] = {}
    for index, row in answer_rows(list(zip(asked, kinds, strict=True)), params):
        evidence.setdefault(model.competency_ids[bank.rows[index]], CompetencyEvidence()).answers.append(row)
    return evidence


def adaptive_run(model: LadderModel, bank: ItemBank, learner: Learner, truth: np.ndarray, seed: int) -> Outcome:
    rng = np.random.default_rng(seed)
    asked: list[int] = []
    right: list[str] = []
    while True:
        evidence = _evidence(bank, model, asked, right)
        result = posterior(model, evidence, areas=False)
        if should_stop(answered=len(asked), level_probabilities=result.level_probabilities):
            break
        index = next_question(bank, result.position, asked, rng)
        if index is None:
            break
        asked.append(index)
        right.append(_answer(truth, learner, bank, index, rng, can_pass=True))
    return _outcome(model, learner, _evidence(bank, model, asked, right), len(asked))


def whole_bank_run(model: LadderModel, bank: ItemBank, learner: Learner, truth: np.ndarray, seed: int) -> Outcome:
    rng = np.random.default_rng(seed)
    asked = list(range(len(bank.question_ids)))
    right = [_answer(truth, learner, bank, i, rng, can_pass=False) for i in asked]  # quizzes: no "I don't know"
    return _outcome(model, learner, _evidence(bank, model, asked, right), len(asked))


def _run_chunk(args) -> list[Outcome]:
    model, bank, chunk, truth, adaptive = args
    run = adaptive_run if adaptive else whole_bank_run
    return [run(model, bank, learner, truth, seed) for seed, learner in chunk]


def simulate(model: LadderModel, bank: ItemBank, *, count: int, seed: int, adaptive: bool, workers: int = 1) -> Report:
    """Seeded: the same arguments give the same report, whatever ``workers`` is."""
    rng = np.random.default_rng(seed)
    truth = true_items(bank, rng)
    people = [(seed * 100_003 + number, learner) for number, learner in enumerate(learners(model, count, rng))]
    chunks = [(model, bank, people[i::workers], truth, adaptive) for i in range(workers)]
    if workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_run_chunk, chunks))
    else:
        results = [_run_chunk(chunks[0])]
    report = Report(levels=model.levels)
    for outcomes in results:
        report.outcomes.extend(outcomes)
    return report
