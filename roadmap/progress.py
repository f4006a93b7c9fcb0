"""Progress through a roadmap: per milestone and overall, and the hours left."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import RoadmapStep


@dataclass
class MilestoneProgress:
    level_name: str
    steps: list[RoadmapStep] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return sum(1 for step in self.steps if not step.is_open)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def hours_left(self) -> int:
        return sum(step.hours for step in self.steps if step.is_open)


@dataclass
class RoadmapSummary:
    milestones: list[MilestoneProgress]

    @property
    def total(self) -> int:
        return sum(m.total for m in self.milestones)

    @property
    def finished(self) -> int:
        return sum(m.finished for m in self.milestones)

    @property
    def hours_left(self) -> int:
        return sum(m.hours_left for m in self.milestones)

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 100


def roadmap_summary(steps: list[RoadmapStep]) -> RoadmapSummary:
    """Steps (in plan order) grouped by milestone; done and skipped steps count as finished."""
    milestones: list[MilestoneProgress] = []
    for step in sorted(steps, key=lambda s: s.position):
        if not milestones or milestones[-1].level_name != step.milestone.name:
            milestones.append(MilestoneProgress(level_name=step.milestone.name))
        milestones[-1].steps.append(step)
    return RoadmapSummary(milestones=milestones)
