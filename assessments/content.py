"""Reading the matrix for display: the ladder, areas and their cells in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from .models import Competency, CompetencyArea, Expectation, Level


@dataclass(frozen=True)
class MatrixRow:
    competency: Competency
    cells: list[Expectation | None]  # one per level, in ladder order


@dataclass(frozen=True)
class MatrixArea:
    area: CompetencyArea
    rows: list[MatrixRow]


def matrix_load(*, area_slug: str | None = None) -> tuple[list[Level], list[MatrixArea]]:
    levels = list(Level.objects.all())
    areas = CompetencyArea.objects.prefetch_related(
        Prefetch(
            "competencies",
            queryset=Competency.objects.order_by("order", "name").prefetch_related(
                Prefetch("expectations", queryset=Expectation.objects.all())
            ),
        )
    )
    if area_slug:
        areas = areas.filter(slug=area_slug)
    result = []
    for area in areas:
        rows = []
        for competency in area.competencies.all():
            by_level = {e.level_id: e for e in competency.expectations.all()}
            rows.append(MatrixRow(competency=competency, cells=[by_level.get(level.pk) for level in levels]))
        result.append(MatrixArea(area=area, rows=rows))
    return levels, result
