"""Reading the content (the ladder, areas, competencies and matrix cells) for display and scoring.

Every page that shows a learner's standing needs the whole matrix, and loading it is most of the
work of such a page (about 16 ms of ORM work for the shipped content, against 1-3 ms for the
learner's own data). Content changes rarely (an admin save, an import), so each process keeps one
copy, keyed by a content version held in the shared cache (Redis in production): any change to a
content model bumps the version (signals, at once and again after commit) and every process reloads
on its next read. Without a shared cache, or while it is down, a copy is kept at most
``MAX_AGE_SECONDS``.
"""

from __future__ import annotations

import hashlib
import json
import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch

from .measurement.items import item_prior
from .measurement.ladder import LadderModel
from .measurement.placement import ItemBank, item_bank
from .models import Choice, Competency, CompetencyArea, Expectation, Level, Question, Quiz

VERSION_KEY = "content-version"
MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class Measurement:
    """The matrix and the question bank as the estimator sees them (see ``assessments.measurement``)."""

    model: LadderModel
    bank: ItemBank  # published questions, for the placement test
    item_params: dict[int, tuple[float, float, float]]  # every question id -> (a, b, c)
    fingerprint: str = ""  # of everything an estimate depends on besides the evidence


@dataclass(frozen=True)
class Content:
    levels: list[Level]  # ladder order
    areas: list[CompetencyArea]  # matrix order, competencies and their expectations (with level) prefetched
    measurement: Measurement
    version: str = ""  # the content version it was read at ("" without a shared cache)


_cached: tuple[str, float, Content] | None = None


@dataclass(frozen=True)
class QuizQuestion:
    """A question as a quiz screen shows it: choices as (id, text) only, correctness stays out."""

    pk: int
    kind: str
    text: str
    competency_name: str
    choices: tuple[tuple[int, str], ...]  # the live (not retired) choices, by id

    @property
    def choice_ids(self) -> frozenset[int]:
        return frozenset(choice_id for choice_id, _ in self.choices)


_quizzes: tuple[str, float, dict[int, tuple[QuizQuestion, ...]]] | None = None
_published: tuple[str, float, list[Quiz]] | None = None


# Within a request the version is read once (a page asked for it two to four times, a Redis round
# trip each): careerpath/middleware.py::content_version_per_request opens the scope.
_request_scope: ContextVar[dict | None] = ContextVar("content_version_scope", default=None)


@contextmanager
def content_version_held():
    """Hold the content version read first within the block (one request) for the rest of it."""
    token = _request_scope.set({})
    try:
        yield
    finally:
        _request_scope.reset(token)


def content_version() -> str | None:
    """The shared content version, or None when the cache cannot say (it is down)."""
    scope = _request_scope.get()
    if scope and "version" in scope:
        return scope["version"]
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY)  # set by another process meanwhile, or None: cache down
    if scope is not None and version is not None:
        scope["version"] = version
    return version


def content_changed(**_signal_kwargs) -> None:
    """Make every process reload the content: now, and once more when the transaction commits (so a
    process that read the old rows in between does not keep them)."""
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)
    scope = _request_scope.get()
    if scope is not None:  # this request changed the content: it reads the new version
        scope.pop("version", None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid4().hex, timeout=None))


def _shared_version() -> bool:
    """Whether the content version lives in a cache every process shares (not local memory)."""
    return "redis" in settings.CACHES["default"]["BACKEND"].lower()


def _current(held: tuple | None, version: str | None, now: float) -> bool:
    """A held copy serves while the content version is the one it was read at, for at most
    MAX_AGE_SECONDS (without a shared cache, or with it down, the version says nothing)."""
    return bool(held) and held[0] == (version or held[0]) and now - held[1] < MAX_AGE_SECONDS


def content_load(*, fresh: bool = False, stored: bool = False) -> Content:
    """The content, read from the database only when it changed. Treat it as read-only.

    ``fresh`` reads it anyway. ``stored`` is for work whose result is stored (a roadmap recompute),
    which must not rest on a copy that a process may keep for up to ``MAX_AGE_SECONDS`` without a
    shared version to vouch for it: the held copy serves only while the shared cache (Redis) says
    it is current, so a chunk of 100 learners does not read it all again (0.2 s).
    """
    global _cached
    version, now = content_version(), time.monotonic()
    vouched = not stored or (version is not None and _shared_version())
    if not fresh and vouched and _current(_cached, version, now):
        return _cached[2]
    levels = list(Level.objects.order_by("order"))
    areas = list(
        CompetencyArea.objects.order_by("order", "name").prefetch_related(
            Prefetch(
                "competencies",
                queryset=Competency.objects.order_by("order", "name").prefetch_related(
                    Prefetch("expectations", queryset=Expectation.objects.select_related("level"))
                ),
            )
        )
    )
    content = Content(
        levels=levels, areas=areas, measurement=measurement_build(levels=levels, areas=areas), version=version or ""
    )
    _cached = (version or "", now, content)
    return content


def question_params(question: Question, choices: int) -> tuple[float, float, float]:
    """A question's item parameters: calibrated where stored, else the authored prior."""
    prior = item_prior(
        difficulty_label=question.difficulty, single_choice=question.kind == Question.Kind.SINGLE, choices=choices
    )
    return (
        question.irt_discrimination if question.irt_discrimination is not None else prior.discrimination,
        question.irt_difficulty if question.irt_difficulty is not None else prior.difficulty,
        question.irt_guessing if question.irt_guessing is not None else prior.guessing,
    )


def measurement_build(*, levels: list[Level], areas: list[CompetencyArea]) -> Measurement:
    level_index = {level.pk: i for i, level in enumerate(levels)}
    ids, area_ids, requirements = [], [], []
    for area in areas:
        for competency in area.competencies.all():
            row = [0] * len(levels)
            for cell in competency.expectations.all():
                row[level_index[cell.level_id]] = cell.proficiency
            ids.append(competency.pk)
            area_ids.append(area.pk)
            requirements.append(row)
    model = LadderModel(tuple(ids), tuple(area_ids), requirements, level_count=len(levels))
    choice_counts: dict[int, int] = {}
    for question_id in Choice.objects.filter(retired=False).values_list("question_id", flat=True):
        choice_counts[question_id] = choice_counts.get(question_id, 0) + 1
    params, published = {}, []
    for question in Question.objects.select_related("quiz").order_by("id"):
        params[question.pk] = question_params(question, choice_counts.get(question.pk, 4))
        if question.quiz.is_published:
            published.append((question.pk, question.competency_id, *params[question.pk]))
    fingerprint = hashlib.sha256(json.dumps([ids, area_ids, requirements, sorted(params.items())]).encode()).hexdigest()
    return Measurement(model=model, bank=item_bank(model, published), item_params=params, fingerprint=fingerprint)


@dataclass(frozen=True)
class MatrixRow:
    competency: Competency
    cells: list[Expectation | None]  # one per level, in ladder order


@dataclass(frozen=True)
class MatrixArea:
    area: CompetencyArea
    rows: list[MatrixRow]


def matrix_load(*, area_slug: str | None = None) -> tuple[list[Level], list[MatrixArea]]:
    content = content_load()
    result = []
    for area in content.areas:
        if area_slug and area.slug != area_slug:
            continue
        rows = []
        for competency in area.competencies.all():
            by_level = {e.level_id: e for e in competency.expectations.all()}
            rows.append(MatrixRow(competency=competency, cells=[by_level.get(level.pk) for level in content.levels]))
        result.append(MatrixArea(area=area, rows=rows))
    return content.levels, result


def quiz_questions(quiz_id: int) -> tuple[QuizQuestion, ...]:
    """A quiz's questions in order with their live choices, read from the database once per content
    version and process (the quiz page and every autosave need them)."""
    global _quizzes
    version, now = content_version(), time.monotonic()
    if not _current(_quizzes, version, now):
        _quizzes = (version or "", now, {})
    held = _quizzes[2]
    if quiz_id not in held:
        choices: dict[int, list[tuple[int, str]]] = {}
        for question_id, choice_id, text in (
            Choice.objects.filter(question__quiz_id=quiz_id, retired=False)
            .order_by("id")
            .values_list("question_id", "id", "text")
        ):
            choices.setdefault(question_id, []).append((choice_id, text))
        held[quiz_id] = tuple(
            QuizQuestion(pk=q.pk, kind=q.kind, text=q.text, competency_name=q.competency.name,
                         choices=tuple(choices.get(q.pk, ())))
            for q in Question.objects.filter(quiz_id=quiz_id).select_related("competency").order_by("order", "id")
        )  # fmt: skip
    return held[quiz_id]


def published_quizzes() -> list[Quiz]:
    """The published quizzes with their area, in matrix order; read once per content version."""
    global _published
    version, now = content_version(), time.monotonic()
    if not _current(_published, version, now):
        quizzes = Quiz.objects.filter(is_published=True).select_related("area").order_by("area__order", "title")
        _published = (version or "", now, list(quizzes))
    return _published[2]
