"""Progress through a roadmap: per milestone and overall, the hours left, and when each milestone
is expected at the learner's weekly pace."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from .models import RoadmapStep


@dataclass
class FindOut:
    """The competencies of one area not assessed yet: one quiz (or self-rating) finds them out."""

    area: object
    steps: list[RoadmapStep] = field(default_factory=list)


@dataclass
class MilestoneProgress:
    level_name: str
    steps: list[RoadmapStep] = field(default_factory=list)  # learning steps
    find_out: list[FindOut] = field(default_factory=list)
    expected: date | None = None  # when its last open step is done, at the learner's pace

    @property
    def finished(self) -> int:
        return sum(1 for step in self.steps if not step.is_open)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def open_steps(self) -> list[RoadmapStep]:
        return [step for step in self.steps if step.is_open]

    @property
    def hours_left(self) -> int:
        return sum(step.hours for step in self.open_steps)

    @property
    def hours_low(self) -> int:
        return sum(step.hours_low for step in self.open_steps)

    @property
    def hours_high(self) -> int:
        return sum(step.hours_high for step in self.open_steps)


@dataclass
class RoadmapSummary:
    milestones: list[MilestoneProgress]
    weekly_hours: int | None = None

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
    def hours_low(self) -> int:
        return sum(m.hours_low for m in self.milestones)

    @property
    def hours_high(self) -> int:
        return sum(m.hours_high for m in self.milestones)

    @property
    def percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 100

    @property
    def to_find_out(self) -> int:
        return sum(len(group.steps) for m in self.milestones for group in m.find_out)

    @property
    def finish(self) -> date | None:
        dated = [m.expected for m in self.milestones if m.expected]
        return dated[-1] if dated else None


def expected_dates(milestones: list[MilestoneProgress], *, weekly_hours: int, today: date) -> None:
    """Date each milestone: the open hours up to and including it at ``weekly_hours`` a week."""
    hours = 0
    for milestone in milestones:
        hours += milestone.hours_left
        milestone.expected = today + timedelta(weeks=math.ceil(hours / weekly_hours)) if milestone.total else None


def roadmap_summary(
    steps: list[RoadmapStep], *, weekly_hours: int | None = None, today: date | None = None
) -> RoadmapSummary:
    """Steps (in plan order) grouped by milestone, "find out" steps by area; done and skipped steps
    count as finished. With a weekly pace, each milestone gets its expected date."""
    milestones: list[MilestoneProgress] = []
    for step in sorted(steps, key=lambda s: s.position):
        if not milestones or milestones[-1].level_name != step.milestone.name:
            milestones.append(MilestoneProgress(level_name=step.milestone.name))
        milestone = milestones[-1]
        if step.finds_out:
            group = next((g for g in milestone.find_out if g.area.pk == step.competency.area_id), None)
            if group is None:
                group = FindOut(area=step.competency.area)
                milestone.find_out.append(group)
            group.steps.append(step)
        else:
            milestone.steps.append(step)
    if weekly_hours and today:
        expected_dates(milestones, weekly_hours=weekly_hours, today=today)
    return RoadmapSummary(milestones=milestones, weekly_hours=weekly_hours)
