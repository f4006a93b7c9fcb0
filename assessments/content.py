"""Reading the content (the ladder, areas, competencies and matrix cells) for display and scoring.

Every page that shows a learner's standing needs the whole matrix, and loading it is most of the
work of such a page (about 16 ms of ORM work for the shipped content, against 1-3 ms for the
learner's own data). Content changes rarely (an admin save, an import), so each process keeps one
copy, keyed by a content version held in the shared cache (Redis in production): any change to a
content model bumps the version (signals, at once and again after commit) and every process reloads
on its next read. Without a shared cache a copy is kept at most ``MAX_AGE_SECONDS``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from uuid import uuid4

from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch

from .models import Competency, CompetencyArea, Expectation, Level

VERSION_KEY = "content-version"
MAX_AGE_SECONDS = 60.0


@dataclass(frozen=True)
class Content:
    levels: list[Level]  # ladder order
    areas: list[CompetencyArea]  # matrix order, competencies and their expectations (with level) prefetched


_cached: tuple[str, float, Content] | None = None


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid4().hex
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def content_changed(**_signal_kwargs) -> None:
    """Make every process reload the content: now, and once more when the transaction commits (so a
    process that read the old rows in between does not keep them)."""
    cache.set(VERSION_KEY, uuid4().hex, timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid4().hex, timeout=None))


def content_load(*, fresh: bool = False) -> Content:
    """The content, read from the database only when it changed. Treat it as read-only.

    ``fresh`` reads it anyway: for work whose result is stored (a roadmap recompute), which must not
    rest on a copy that a process without a shared cache may keep for up to ``MAX_AGE_SECONDS``.
    """
    global _cached
    version, now = content_version(), time.monotonic()
    if not fresh and _cached and _cached[0] == version and now - _cached[1] < MAX_AGE_SECONDS:
        return _cached[2]
    content = Content(
        levels=list(Level.objects.order_by("order")),
        areas=list(
            CompetencyArea.objects.order_by("order", "name").prefetch_related(
                Prefetch(
                    "competencies",
                    queryset=Competency.objects.order_by("order", "name").prefetch_related(
                        Prefetch("expectations", queryset=Expectation.objects.select_related("level"))
                    ),
                )
            )
        ),
    )
    _cached = (version, now, content)
    return content


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
