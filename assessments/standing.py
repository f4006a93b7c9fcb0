"""Where a learner stands: their proficiency per competency and area, and their place on the ladder.

Loads everything in a fixed number of queries (whatever the size of the matrix or the learner's
history), then applies the rules in ``scoring``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from .content import content_load
from .models import (
    Attempt,
    Choice,
    Competency,
    CompetencyArea,
    Expectation,
    LearnerProfile,
    Level,
    MentorRating,
    Response,
    SelfRating,
)
from .scoring import (
    CurrentProficiency,
    Estimate,
    LadderPosition,
    Outcome,
    current_proficiency,
    is_answer_correct,
    ladder_position,
    proficiency_estimate,
)


@dataclass
class CompetencyStanding:
    competency: Competency
    self_rating: int | None
    self_rated_at: datetime | None
    estimate: Estimate | None
    expectations: list[Expectation | None]  # one per level, ladder order
    target_expectation: Expectation | None = None
    mentor_rating: MentorRating | None = None

    @property
    def current(self) -> CurrentProficiency | None:
        """Self-rating, quiz estimate and mentor rating combined (``scoring.current_proficiency``)."""
        return current_proficiency(
            self_rating=self.self_rating,
            estimate=self.estimate,
            mentor_rating=self.mentor_rating.proficiency if self.mentor_rating else None,
        )

    @property
    def proficiency(self) -> float | None:
        current = self.current
        return None if current is None else current.value

    @property
    def level_met(self) -> Expectation | None:
        """The highest level whose expectation here (and every lower level's) the combined proficiency meets."""
        current = self.current
        step = current.step if current else 0
        met = None
        for cell in self.expectations:
            if cell is None or cell.proficiency > step:
                break
            met = cell
        return met

    def expectation_at(self, level_index: int | None) -> Expectation | None:
        return None if level_index is None else self.expectations[level_index]


@dataclass
class AreaStanding:
    area: CompetencyArea
    competencies: list[CompetencyStanding]
    position: LadderPosition
    level_name: str | None = None

    @property
    def rated(self) -> int:
        return sum(1 for c in self.competencies if c.self_rating is not None)

    def average(self, values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return round(sum(known) / len(known), 2) if known else None

    @property
    def self_average(self) -> float | None:
        return self.average([c.self_rating for c in self.competencies])

    @property
    def quiz_average(self) -> float | None:
        return self.average([c.estimate.proficiency if c.estimate else None for c in self.competencies])

    @property
    def mentor_average(self) -> float | None:
        return self.average([c.mentor_rating.proficiency if c.mentor_rating else None for c in self.competencies])

    @property
    def target_average(self) -> float | None:
        cells = [c.target_expectation for c in self.competencies]
        return self.average([cell.proficiency if cell else None for cell in cells])


@dataclass
class Standing:
    profile: LearnerProfile
    levels: list[Level]
    areas: list[AreaStanding]
    overall: LadderPosition
    target_index: int | None
    by_competency: dict[int, CompetencyStanding] = field(default_factory=dict)

    def level_name(self, index: int | None) -> str | None:
        return None if index is None else self.levels[index].name

    @property
    def level(self) -> Level | None:
        return None if self.overall.level_index is None else self.levels[self.overall.level_index]

    @property
    def next_level(self) -> Level | None:
        return None if self.overall.next_index is None else self.levels[self.overall.next_index]


def latest_self_ratings(*, learner_id: int) -> dict[int, tuple[int, datetime]]:
    latest: dict[int, tuple[int, datetime]] = {}
    rows = (
        SelfRating.objects.filter(learner_id=learner_id)
        .order_by("competency_id", "-rated_at", "-id")
        .values_list("competency_id", "proficiency", "rated_at")
    )
    for competency_id, proficiency, rated_at in rows:
        latest.setdefault(competency_id, (proficiency, rated_at))
    return latest


def latest_mentor_ratings(*, learner_id: int) -> dict[int, MentorRating]:
    latest: dict[int, MentorRating] = {}
    rows = (
        MentorRating.objects.filter(learner_id=learner_id)
        .select_related("mentor")
        .order_by("competency_id", "-rated_at", "-id")
    )
    for rating in rows:
        latest.setdefault(rating.competency_id, rating)
    return latest


def latest_submitted_attempt_ids(*, learner_id: int) -> list[int]:
    """The most recent submitted attempt of each quiz: a retake replaces what the earlier one said."""
    seen: dict[int, int] = {}
    rows = (
        Attempt.objects.filter(learner_id=learner_id, state=Attempt.State.SUBMITTED)
        .order_by("quiz_id", "-submitted_at", "-id")
        .values_list("quiz_id", "id")
    )
    for quiz_id, attempt_id in rows:
        seen.setdefault(quiz_id, attempt_id)
    return list(seen.values())


def quiz_outcomes(*, attempt_ids: list[int]) -> dict[int, list[Outcome]]:
    """competency id -> graded outcomes from the given attempts, in two queries."""
    chosen: dict[tuple[int, int], set[int]] = defaultdict(set)
    meta: dict[int, tuple[int, int]] = {}
    rows = Response.objects.filter(attempt_id__in=attempt_ids).values_list(
        "attempt_id", "question_id", "question__competency_id", "question__difficulty", "choices__id"
    )
    for attempt_id, question_id, competency_id, difficulty, choice_id in rows:
        answer = chosen[(attempt_id, question_id)]
        if choice_id is not None:
            answer.add(choice_id)
        meta[question_id] = (competency_id, difficulty)
    correct: dict[int, set[int]] = defaultdict(set)
    for question_id, choice_id in Choice.objects.filter(question_id__in=meta, is_correct=True).values_list(
        "question_id", "id"
    ):
        correct[question_id].add(choice_id)
    outcomes: dict[int, list[Outcome]] = defaultdict(list)
    for (_, question_id), answer in sorted(chosen.items()):
        competency_id, difficulty = meta[question_id]
        right = is_answer_correct(chosen=frozenset(answer), correct=frozenset(correct[question_id]))
        outcomes[competency_id].append(Outcome(difficulty=difficulty, correct=right))
    return outcomes


def learner_standing(*, user, fresh_content: bool = False) -> Standing:
    profile, _ = LearnerProfile.objects.select_related("current_level", "target_level").get_or_create(user=user)
    content = content_load(fresh=fresh_content)
    levels, areas = content.levels, content.areas
    level_index = {level.pk: i for i, level in enumerate(levels)}
    ratings = latest_self_ratings(learner_id=user.pk)
    mentor_ratings = latest_mentor_ratings(learner_id=user.pk)
    outcomes = quiz_outcomes(attempt_ids=latest_submitted_attempt_ids(learner_id=user.pk))

    target_index = level_index.get(profile.target_level_id) if profile.target_level_id else None
    requirements: list[dict[int, int]] = [{} for _ in levels]
    area_standings = []
    by_competency = {}
    for area in areas:
        rows = []
        for competency in area.competencies.all():
            cells: list[Expectation | None] = [None] * len(levels)
            for expectation in competency.expectations.all():
                index = level_index[expectation.level_id]
                cells[index] = expectation
                requirements[index][competency.pk] = expectation.proficiency
            rating = ratings.get(competency.pk)
            row = CompetencyStanding(
                competency=competency,
                self_rating=rating[0] if rating else None,
                self_rated_at=rating[1] if rating else None,
                estimate=proficiency_estimate(outcomes.get(competency.pk, [])),
                expectations=cells,
                target_expectation=None if target_index is None else cells[target_index],
                mentor_rating=mentor_ratings.get(competency.pk),
            )
            rows.append(row)
            by_competency[competency.pk] = row
        area_standings.append(AreaStanding(area=area, competencies=rows, position=LadderPosition(None, 0, 0.0, 0, 0)))

    proficiency = {cid: row.proficiency for cid, row in by_competency.items() if row.proficiency is not None}
    for area_standing in area_standings:
        area_standing.position = ladder_position(
            proficiency=proficiency,
            requirements=requirements,
            competencies=[row.competency.pk for row in area_standing.competencies],
        )
        if area_standing.position.level_index is not None:
            area_standing.level_name = levels[area_standing.position.level_index].name
    overall = ladder_position(proficiency=proficiency, requirements=requirements, competencies=list(by_competency))
    return Standing(
        profile=profile,
        levels=levels,
        areas=area_standings,
        overall=overall,
        target_index=target_index,
        by_competency=by_competency,
    )
