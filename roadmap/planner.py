"""The plan: from a learner's proficiency, the matrix and a target level, the ordered steps to get there.

A pure function over plain data (``build_plan``); loading and saving live in ``roadmap/compute.py``.

Rules
-----
- One step per competency whose current proficiency is below what the target level expects; the
  step goes from the current proficiency to the target's requirement.
- Steps are grouped into milestones, the levels on the way: a step belongs to the first level (up to
  the target) that expects more than the learner has. To reach Senior from Junior, first what
  Backend Developer expects, then Senior.
- A prerequisite that also needs work is moved into the milestone of the step that builds on it if
  it would otherwise come later, so every prerequisite comes first in the whole plan.
- Within a milestone, prerequisites first (topological order), then the largest gap, then the
  matrix order; the same input always gives the same plan.
- Resources: those aimed at a proficiency in (from, to]; else the nearest above. Hours: the
  resources' estimated hours plus ``PRACTICE_HOURS_PER_STEP`` of practice per proficiency step
  (reading about a skill is not the same as having it).
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass

from assessments.models import Proficiency

PRACTICE_HOURS_PER_STEP = 5


@dataclass(frozen=True)
class LevelSpec:
    id: int
    name: str


@dataclass(frozen=True)
class ResourceSpec:
    id: int
    hours: int
    proficiency: int


@dataclass(frozen=True)
class CompetencySpec:
    id: int
    name: str
    sort_key: tuple[int, ...]  # the matrix order: (area order, competency order, id)
    prerequisites: tuple[int, ...]
    required: Mapping[int, int]  # level id -> required proficiency
    resources: tuple[ResourceSpec, ...] = ()


@dataclass(frozen=True)
class Matrix:
    levels: tuple[LevelSpec, ...]  # ladder order
    competencies: Mapping[int, CompetencySpec]


@dataclass(frozen=True)
class PlannedStep:
    competency_id: int
    milestone_id: int
    from_proficiency: int
    to_proficiency: int
    hours: int
    resource_ids: tuple[int, ...]
    why: str

    @property
    def gap(self) -> int:
        return self.to_proficiency - self.from_proficiency


@dataclass(frozen=True)
class Milestone:
    level: LevelSpec
    steps: tuple[PlannedStep, ...]


@dataclass(frozen=True)
class Plan:
    target_id: int
    milestones: tuple[Milestone, ...]

    @property
    def steps(self) -> list[PlannedStep]:
        return [step for milestone in self.milestones for step in milestone.steps]


def _label(value: int) -> str:
    return f"{Proficiency(value).label} ({value})"


def suited_resources(resources: tuple[ResourceSpec, ...], *, start: int, goal: int) -> list[ResourceSpec]:
    within = [r for r in resources if start < r.proficiency <= goal]
    if within:
        return sorted(within, key=lambda r: (r.proficiency, r.id))
    above = sorted((r for r in resources if r.proficiency > goal), key=lambda r: (r.proficiency, r.id))
    if above:
        return [r for r in above if r.proficiency == above[0].proficiency]
    return sorted(resources, key=lambda r: (-r.proficiency, r.id))[:1]


def _first_short_level(competency: CompetencySpec, levels: tuple[LevelSpec, ...], current: int) -> int:
    for index, level in enumerate(levels):
        if competency.required.get(level.id, 0) > current:
            return index
    return len(levels) - 1


def _ordered(step_ids: list[int], matrix: Matrix, gaps: Mapping[int, int]) -> list[int]:
    """Prerequisites first, then by gap (largest first), then matrix order; deterministic."""
    members = set(step_ids)
    waiting = {cid: {p for p in matrix.competencies[cid].prerequisites if p in members} for cid in step_ids}
    dependents: dict[int, list[int]] = {cid: [] for cid in step_ids}
    for cid, prereqs in waiting.items():
        for p in prereqs:
            dependents[p].append(cid)

    def key(cid: int) -> tuple:
        return (-gaps[cid], matrix.competencies[cid].sort_key, cid)

    ready = [key(cid) for cid, prereqs in waiting.items() if not prereqs]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        cid = heapq.heappop(ready)[-1]
        order.append(cid)
        for dependent in dependents[cid]:
            waiting[dependent].discard(cid)
            if not waiting[dependent]:
                heapq.heappush(ready, key(dependent))
    # A cycle (content validation forbids them) would leave steps behind: keep them, in a stable order.
    order += sorted((cid for cid in step_ids if cid not in order), key=key)
    return order


def _why(
    competency: CompetencySpec, *, milestone: LevelSpec, target: LevelSpec, start: int, goal: int, unlocks: list[str]
) -> str:
    at_milestone = competency.required.get(milestone.id, 0)
    parts = [f"{milestone.name} expects {_label(at_milestone)} in {competency.name}; you are at {_label(start)}."]
    if target.id != milestone.id and goal > at_milestone:
        parts.append(f"Your target, {target.name}, expects {_label(goal)}.")
    if unlocks:
        parts.append(f"It comes before {', '.join(unlocks)}, which build on it.")
    return " ".join(parts)


def build_plan(*, estimates: Mapping[int, int], matrix: Matrix, target_id: int) -> Plan:
    """The ordered steps from ``estimates`` (competency id -> current proficiency step) to the target."""
    target_index = next(i for i, level in enumerate(matrix.levels) if level.id == target_id)
    levels = matrix.levels[: target_index + 1]
    target = levels[-1]

    start: dict[int, int] = {}
    goal: dict[int, int] = {}
    milestone_of: dict[int, int] = {}
    for cid, competency in matrix.competencies.items():
        current = estimates.get(cid, 0)
        required = competency.required.get(target.id, 0)
        if current < required:
            start[cid], goal[cid] = current, required
            milestone_of[cid] = _first_short_level(competency, levels, current)

    changed = True
    while changed:  # pull prerequisites forward until none comes after a step that builds on it
        changed = False
        for cid in milestone_of:
            for prereq in matrix.competencies[cid].prerequisites:
                if prereq in milestone_of and milestone_of[prereq] > milestone_of[cid]:
                    milestone_of[prereq] = milestone_of[cid]
                    changed = True

    gaps = {cid: goal[cid] - start[cid] for cid in milestone_of}
    unlocks: dict[int, list[str]] = {cid: [] for cid in milestone_of}
    for cid in sorted(milestone_of, key=lambda c: matrix.competencies[c].sort_key):
        for prereq in matrix.competencies[cid].prerequisites:
            if prereq in unlocks:
                unlocks[prereq].append(matrix.competencies[cid].name)

    milestones = []
    for index, level in enumerate(levels):
        members = [cid for cid, m in milestone_of.items() if m == index]
        steps = []
        for cid in _ordered(members, matrix, gaps):
            competency = matrix.competencies[cid]
            resources = suited_resources(competency.resources, start=start[cid], goal=goal[cid])
            hours = sum(r.hours for r in resources) + PRACTICE_HOURS_PER_STEP * gaps[cid]
            steps.append(
                PlannedStep(
                    competency_id=cid,
                    milestone_id=level.id,
                    from_proficiency=start[cid],
                    to_proficiency=goal[cid],
                    hours=hours,
                    resource_ids=tuple(r.id for r in resources),
                    why=_why(
                        competency,
                        milestone=level,
                        target=target,
                        start=start[cid],
                        goal=goal[cid],
                        unlocks=unlocks[cid],
                    ),
                )
            )
        if steps:
            milestones.append(Milestone(level=level, steps=tuple(steps)))
    return Plan(target_id=target.id, milestones=tuple(milestones))
