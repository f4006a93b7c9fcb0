"""The stored standing, and the results page's figures, as the API answers them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from assessments.results import AreaFigure, results_summary
from assessments.standing import CompetencyStanding, Standing

from .schemas import Chance, LevelOut, chances_out, level_out


class AreaChances(Schema):
    area: str = Field(description="The area's slug.")
    name: str
    level: LevelOut | None = Field(description="The most probable level in this area; null: not assessed yet.")
    chances: list[Chance]


class EstimateOut(Schema):
    competency: str = Field(description="The competency's slug.")
    name: str
    area: str
    proficiency: float = Field(description="0-4, every source of evidence combined.")
    spread: float = Field(description="Standard deviation, in proficiency steps.")
    answers: int
    quiz_proficiency: float | None = Field(description="What answers alone say; null without answers.")
    quiz_spread: float | None
    sources: list[str] = Field(description="Which of quiz, self, mentor contributed.")
    self_rating: int | None
    mentor_rating: int | None


class StandingOut(Schema):
    assessed: bool
    level: LevelOut | None = Field(description="The most probable level; null: not assessed yet.")
    certainty: int | None = Field(description="The probability of that level, in percent.")
    possibly: LevelOut | None = Field(description="The runner-up, when 15% or more.")
    target: LevelOut | None
    computed_at: datetime | None
    chances: list[Chance]
    areas: list[AreaChances]
    estimates: list[EstimateOut] = Field(description="One per assessed competency.")


def _estimate(row: CompetencyStanding, area_slug: str) -> EstimateOut:
    stored = row.stored
    return EstimateOut(
        competency=row.competency.slug,
        name=row.competency.name,
        area=area_slug,
        proficiency=stored.proficiency,
        spread=stored.spread,
        answers=stored.answers,
        quiz_proficiency=stored.quiz_proficiency,
        quiz_spread=stored.quiz_spread,
        sources=stored.sources.split("+") if stored.sources else [],
        self_rating=row.self_rating,
        mentor_rating=row.mentor_rating.proficiency if row.mentor_rating else None,
    )


def standing_out(standing: Standing) -> StandingOut:
    """The stored standing (``learner_standing``: the rows read, the estimator never run)."""
    levels = standing.levels
    return StandingOut(
        assessed=standing.assessed,
        level=level_out(standing.level),
        certainty=standing.certainty,
        possibly=level_out(standing.possibly),
        target=level_out(standing.profile.target_level),
        computed_at=standing.computed_at,
        chances=chances_out(levels, standing.placement),
        areas=[
            AreaChances(
                area=a.area.slug,
                name=a.area.name,
                level=level_out(levels[a.placement.index]) if a.placement else None,
                chances=chances_out(levels, a.placement),
            )
            for a in standing.areas
        ],
        estimates=[_estimate(row, a.area.slug) for a in standing.areas for row in a.competencies if row.assessed],
    )


# --- results: what the results page shows ------------------------------------------------------


class AnswersSay(Schema):
    proficiency: float
    spread: float
    questions: int
    confidence: Literal["high", "medium", "low"]


class Combined(Schema):
    step: int = Field(description="0-4, the whole step reached.")
    value: float
    spread: float
    sources: list[str]


class CompetencyResult(Schema):
    competency: str
    name: str
    self_rating: int | None
    answers_say: AnswersSay | None
    mentor_rating: int | None
    combined: Combined | None = Field(description="Null: not assessed yet.")
    level_met: LevelOut | None
    target_expects: int | None


class AreaResult(Schema):
    area: str
    name: str
    level: LevelOut | None
    measured_average: float | None
    self_average: float | None
    quiz_average: float | None
    mentor_average: float | None
    target_average: float | None
    competencies: list[CompetencyResult]


class AreaMargin(Schema):
    area: str
    name: str
    measured: float
    target: float | None


class Summary(Schema):
    strongest: list[AreaMargin]
    weakest: list[AreaMargin]
    not_assessed: list[str] = Field(description="Slugs of the areas not assessed yet.")


class ResultsOut(Schema):
    level: LevelOut | None
    certainty: int | None
    target: LevelOut | None
    summary: Summary
    areas: list[AreaResult]


def _competency_result(row: CompetencyStanding) -> CompetencyResult:
    estimate, current, met = row.estimate, row.current, row.level_met
    return CompetencyResult(
        competency=row.competency.slug,
        name=row.competency.name,
        self_rating=row.self_rating,
        answers_say=None
        if estimate is None
        else AnswersSay(
            proficiency=estimate.proficiency,
            spread=estimate.spread,
            questions=estimate.questions,
            confidence=estimate.confidence,
        ),
        mentor_rating=row.mentor_rating.proficiency if row.mentor_rating else None,
        combined=None
        if current is None
        else Combined(step=current.step, value=current.value, spread=current.spread, sources=list(current.sources)),
        level_met=level_out(met.level) if met else None,
        target_expects=row.target_expectation.proficiency if row.target_expectation else None,
    )


def _margin(figure: AreaFigure) -> AreaMargin:
    area = figure.standing.area
    return AreaMargin(area=area.slug, name=area.name, measured=figure.measured, target=figure.target)


def results_out(standing: Standing) -> ResultsOut:
    """The results page's figures: the summary, then per area and per competency."""
    summary = results_summary(standing)
    return ResultsOut(
        level=level_out(standing.level),
        certainty=standing.certainty,
        target=level_out(standing.profile.target_level),
        summary=Summary(
            strongest=[_margin(f) for f in summary.strongest],
            weakest=[_margin(f) for f in summary.weakest],
            not_assessed=[a.area.slug for a in summary.not_assessed],
        ),
        areas=[
            AreaResult(
                area=a.area.slug,
                name=a.area.name,
                level=level_out(standing.levels[a.placement.index]) if a.placement else None,
                measured_average=a.measured_average,
                self_average=a.self_average,
                quiz_average=a.quiz_average,
                mentor_average=a.mentor_average,
                target_average=a.target_average,
                competencies=[_competency_result(row) for row in a.competencies],
            )
            for a in standing.areas
        ],
    )
