"""What a learner sees after submitting: the review of an attempt, the results page's summary and
the data behind the charts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from .attempts import choice_order
from .models import Attempt, Choice, Question, Response
from .scoring import is_answer_correct
from .standing import AreaStanding, Standing

SUMMARY_AREAS = 3  # at most this many strongest and as many weakest areas


@dataclass(frozen=True)
class ReviewItem:
    number: int
    question: Question
    choices: list[Choice]
    chosen: frozenset[int]
    correct: bool

    @property
    def answered(self) -> bool:
        return bool(self.chosen)


@dataclass(frozen=True)
class Tally:
    name: str
    right: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.total) if self.total else 0


def attempt_review(attempt: Attempt) -> tuple[list[ReviewItem], list[Tally]]:
    """Every question of a submitted attempt with the learner's choice, the key and the explanation."""
    picked: dict[int, set[int]] = defaultdict(set)
    for question_id, choice_id in Response.objects.filter(attempt=attempt).values_list("question_id", "choices__id"):
        picked[question_id].update(() if choice_id is None else (choice_id,))
    chosen = {question_id: frozenset(ids) for question_id, ids in picked.items()}
    questions = (
        Question.objects.filter(pk__in=chosen)
        .select_related("competency")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("id")))
        .order_by("order", "id")
    )
    items: list[ReviewItem] = []
    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for number, question in enumerate(questions, start=1):
        # The order the attempt showed (live choices, as in quiz_views), then any since-retired choice
        # this learner picked; other retired choices were never part of their attempt.
        stored = list(question.choices.all())
        answer = chosen.get(question.pk, frozenset())
        choices = choice_order(
            attempt_id=attempt.pk, question_id=question.pk, choices=[c for c in stored if not c.retired]
        ) + [c for c in stored if c.retired and c.pk in answer]
        right = is_answer_correct(chosen=answer, correct=frozenset(c.pk for c in choices if c.is_correct))
        items.append(ReviewItem(number=number, question=question, choices=choices, chosen=answer, correct=right))
        tally = tallies[question.competency.name]
        tally[0] += right
        tally[1] += 1
    return items, [Tally(name=name, right=r, total=t) for name, (r, t) in tallies.items()]


def radar_chart_data(standing: Standing, *, with_mentor: bool = False) -> dict:
    """Per area: the measured proficiency (all evidence), average self-rating, what answers alone say
    and the target level's average expectation (and, for mentors, the average of their ratings).
    Averages are over assessed competencies only: a competency not assessed yet is not a 0."""
    target = standing.level_name(standing.target_index)
    data = {
        "labels": [a.area.name for a in standing.areas],
        "datasets": [
            {"label": "Measured", "data": [a.measured_average for a in standing.areas]},
            {"label": "Self-rating", "data": [a.self_average for a in standing.areas]},
            {"label": "Answers say", "data": [a.quiz_average for a in standing.areas]},
            {
                "label": f"Target: {target}" if target else "Target (not set)",
                "data": [a.target_average for a in standing.areas],
            },
        ],
    }
    if with_mentor:
        data["datasets"].append({"label": "Mentor rating", "data": [a.mentor_average for a in standing.areas]})
    # The same figures as a table, for people who cannot see the chart.
    data["rows"] = [(label, [d["data"][i] for d in data["datasets"]]) for i, label in enumerate(data["labels"])]
    return data


@dataclass(frozen=True)
class AreaFigure:
    """An assessed area's measured average (0-4) and what the target level expects there."""

    standing: AreaStanding
    measured: float
    target: float | None

    @property
    def margin(self) -> float:
        """Above (positive) or below the target; against 0 when no target is set."""
        return self.measured - (self.target or 0.0)


@dataclass(frozen=True)
class ResultsSummary:
    strongest: list[AreaFigure]
    weakest: list[AreaFigure]
    not_assessed: list[AreaStanding]

    @property
    def columns(self) -> list[tuple[str, list[AreaFigure]]]:
        return [("Strongest", self.strongest), ("Weakest", self.weakest)]

    @property
    def gaps(self) -> list[AreaFigure]:
        """The weakest areas that are below the target: what the roadmap works on first."""
        return [figure for figure in self.weakest if figure.target is not None and figure.margin < 0]


def results_summary(standing: Standing) -> ResultsSummary:
    """The results page's lead: the assessed areas ranked by how far above or below the target they
    are, the top ones as strongest and the bottom ones as weakest, never an area in both (of three
    assessed areas, two are strongest and one weakest), and the areas not assessed yet."""
    figures = [
        AreaFigure(standing=area, measured=area.measured_average, target=area.target_average)
        for area in standing.areas
        if area.measured_average is not None
    ]
    ranked = sorted(figures, key=lambda f: (-f.margin, -f.measured, f.standing.area.order))
    strong = min(SUMMARY_AREAS, (len(ranked) + 1) // 2)
    weak = min(SUMMARY_AREAS, len(ranked) - strong)
    return ResultsSummary(
        strongest=ranked[:strong],
        weakest=ranked[len(ranked) - weak :][::-1],
        not_assessed=[area for area in standing.areas if area.measured_average is None],
    )


def history_chart_data(history: list[Attempt]) -> dict:
    return {
        "labels": [f"{timezone.localtime(a.submitted_at):%d %b} · {a.quiz.title}" for a in history],
        "datasets": [{"label": "Score (%)", "data": [round(100 * (a.score or 0)) for a in history]}],
    }
