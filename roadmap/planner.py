"""The plan: from a learner's proficiency, the matrix and a target level, the ordered steps to get there.

A pure function over plain data (``build_plan``); loading and saving live in ``roadmap/compute.py``.

Rules
-----
- **Staged milestones.** The milestones are the levels on the way to the target. A competency gets
  one step per level whose expectation is above both what the learner has and what the level below
  expects: from Aware (1) with Working (2), Proficient (3), Expert (4) expected at Backend Developer,
  Senior and Lead, the steps are 1->2 in Backend Developer, 2->3 in Senior, 3->4 in Lead. So every
  level on the way is a real stage, and a prerequisite short at a milestone always has its step in
  that milestone or an earlier one (expectations never fall up the ladder): nothing is pulled forward
  that the milestone does not ask for.
- **Measure first.** A competency not assessed yet (absent from ``estimates``) that the target
  expects gets a short "find out" step at the start of the first milestone instead of a 0->N
  learning step: a plan from zero for a skill the learner may have would be wrong in both directions.
- **Order within a milestone.** Find-out steps first; then prerequisites before what builds on them
  (by prerequisite depth, so the order is topological), then the largest gap, then the matrix
  order. The same input always gives the same plan.
- **Resources** for each proficiency the step passes through: the learner's stack's first, then
  stack-neutral ones; another stack's only where nothing else aims at that proficiency (listed as
  alternatives, counted once). No resource in the step's range: the nearest above.
- **Hours** (``step_hours``): the chosen resources' own hours plus deliberate practice per
  proficiency reached (``PRACTICE_HOURS``: reading about a skill is not having it), growing with
  the proficiency; shown as a range (``HOURS_LOW`` to ``HOURS_HIGH`` of the practice).
- **Reasons** are true at the step: a step says what its milestone expects and where the learner
  is (or which earlier milestone's step it builds on), and names the steps in its milestone that
  build on it.

Speed: the matrix is compiled once per target (stages, depths, names) and the resources, hours and
reasons of a (competency, range, stack) are worked out once per matrix, so a plan is a few dict
lookups per competency (``make bench`` prints plans per second).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from assessments.models import Proficiency

# Deliberate practice to reach each proficiency from the one below (index = proficiency reached):
# aware is an afternoon's reading; working is a small project; proficient means using it at work
# through several features; expert, a quarter's deliberate depth. See ARCHITECTURE.md, "Hours".
PRACTICE_HOURS = (0, 2, 8, 20, 40)
HOURS_LOW, HOURS_HIGH = 0.5, 2.0  # the range shown: resources + this share of the practice

LEARN, FIND_OUT = "learn", "assess"


@dataclass(frozen=True)
class LevelSpec:
    id: int
    name: str


@dataclass(frozen=True)
class ResourceSpec:
    id: int
    hours: int
    proficiency: int
    stack: str = ""  # "" = stack-neutral


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
    # What build_plan works out once per matrix (compiled targets, resources, reasons).
    memo: dict = field(default_factory=dict, compare=False, repr=False, hash=False)


class PlannedStep(NamedTuple):
    competency_id: int
    milestone_id: int
    from_proficiency: int
    to_proficiency: int
    hours: int
    resource_ids: tuple[int, ...]
    why: str
    kind: str = LEARN
    hours_low: int = 0
    hours_high: int = 0

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


def suited_resources(
    resources: tuple[ResourceSpec, ...], *, start: int, goal: int, stack: str = ""
) -> tuple[list[ResourceSpec], int]:
    """The resources for a step from ``start`` to ``goal`` and the hours they take: per proficiency
    in the range, the learner's stack's and stack-neutral ones; other stacks' only where there is
    nothing else (alternatives, so their hours count once)."""
    chosen: list[ResourceSpec] = []
    hours = 0
    for proficiency in range(start + 1, goal + 1):
        aimed = sorted((r for r in resources if r.proficiency == proficiency), key=lambda r: (r.stack != stack, r.id))
        own = [r for r in aimed if r.stack in ("", stack)]
        if own:
            chosen += own
            hours += sum(r.hours for r in own)
        elif aimed:
            chosen += aimed
            hours += min(r.hours for r in aimed)
    if chosen:
        return chosen, hours
    above = sorted(
        (r for r in resources if r.proficiency > goal), key=lambda r: (r.proficiency, r.stack != stack, r.id)
    )
    nearest = [r for r in above if r.proficiency == above[0].proficiency] if above else []
    nearest = nearest or sorted(resources, key=lambda r: (-r.proficiency, r.id))[:1]
    return nearest, min((r.hours for r in nearest), default=0)


def step_hours(*, resource_hours: int, start: int, goal: int) -> tuple[int, int, int]:
    """Expected, low and high hours for a step: resources plus practice per proficiency reached."""
    practice = sum(PRACTICE_HOURS[start + 1 : goal + 1])
    return (
        resource_hours + practice,
        resource_hours + round(HOURS_LOW * practice),
        resource_hours + round(HOURS_HIGH * practice),
    )


class _Target(NamedTuple):
    """The matrix compiled for one target and stack: for each competency (matrix order) and each
    current proficiency 0-4, the steps to take, ready to sort, with the competencies in the same
    milestone that build on each."""

    index: int
    # (competency id, steps for current proficiency 0..4: ((sort key, milestone index, stage key,
    # step, ((stage key, name) of each competency that builds on it), their stage keys, the step
    # with each list of them that a plan has in the milestone), ...), ...))
    tables: tuple[tuple[int, tuple[tuple[tuple, ...], ...]], ...]


def _stage(index: int, cid: int) -> int:
    """One integer for (milestone, competency): set lookups on ints, not tuples."""
    return index << 32 | cid


def _depths(competencies: Mapping[int, CompetencySpec]) -> dict[int, int]:
    """The length of each competency's longest prerequisite chain (a cycle, which content
    validation forbids, is cut where it closes)."""
    depth: dict[int, int] = {}

    def visit(cid: int, path: frozenset[int]) -> int:
        if cid not in depth:
            prereqs = [p for p in competencies[cid].prerequisites if p in competencies and p not in path]
            depth[cid] = 1 + max((visit(p, path | {cid}) for p in prereqs), default=-1)
        return depth[cid]

    for cid in competencies:
        visit(cid, frozenset())
    return depth


def _compiled(matrix: Matrix, target_id: int, stack: str) -> _Target:
    key = ("target", target_id, stack)
    if key not in matrix.memo:
        index = next(i for i, level in enumerate(matrix.levels) if level.id == target_id)
        depth = _depths(matrix.competencies)
        in_order = sorted(matrix.competencies.items(), key=lambda item: item[1].sort_key)
        dependents: dict[int, list[int]] = {cid: [] for cid in matrix.competencies}
        for cid, competency in in_order:
            for prereq in competency.prerequisites:
                if prereq in dependents:
                    dependents[prereq].append(cid)
        order = {cid: n for n, (cid, _) in enumerate(in_order)}
        names = {cid: competency.name for cid, competency in in_order}
        tables = []
        for cid, competency in in_order:
            rises, expected = [], 0
            for i, level in enumerate(matrix.levels[: index + 1]):
                required = competency.required.get(level.id, 0)
                if required > expected:
                    rises.append((i, required))
                    expected = required
            if not rises:
                continue
            table = []
            for current in range(5):
                entries, start = [], current
                for i, required in rises:
                    if required > start:
                        step = _learn_step(matrix, cid, i, start, required, current, stack)
                        # Milestone, then prerequisite depth, then the larger gap, then matrix order,
                        # as one integer (each part below its field's size).
                        sort_key = i * MILESTONE_KEY + (
                            (depth[cid] * 10 + 4 - (required - start)) * 100_000 + order[cid]
                        )
                        builds_on = tuple((_stage(i, d), names[d]) for d in dependents[cid])
                        stages = frozenset(stage for stage, _ in builds_on)
                        entries.append((sort_key, i, _stage(i, cid), step, builds_on, stages, {}))
                        start = required
                table.append(tuple(entries))
            tables.append((cid, tuple(table)))
        matrix.memo[key] = _Target(index=index, tables=tuple(tables))
    return matrix.memo[key]


def _learn_step(matrix: Matrix, cid: int, index: int, start: int, goal: int, current: int, stack: str) -> PlannedStep:
    """The step, without what builds on it."""
    competency, level = matrix.competencies[cid], matrix.levels[index]
    resources, resource_hours = suited_resources(competency.resources, start=start, goal=goal, stack=stack)
    hours, low, high = step_hours(resource_hours=resource_hours, start=start, goal=goal)
    if current == start:
        where = f"you are at {_label(start)}" if start else "you are new to it"
        why = f"{level.name} expects {_label(goal)} in {competency.name}; {where}."
    else:  # builds on the step of an earlier milestone, which reaches ``start``
        earlier = next(
            lvl.name for lvl in reversed(matrix.levels[:index]) if competency.required.get(lvl.id, 0) == start
        )
        why = (
            f"{level.name} expects {_label(goal)} in {competency.name}, "
            f"one stage on from the {_label(start)} that {earlier} expects."
        )
    return PlannedStep(cid, level.id, start, goal, hours, tuple(r.id for r in resources), why, LEARN, low, high)


def _find_out_steps(matrix: Matrix, index: int, target: _Target) -> dict[int, PlannedStep]:
    """Per competency, the step that says to find out where the learner stands first."""
    key = ("find-out", index, target.index)
    if key not in matrix.memo:
        goal_level = matrix.levels[target.index]
        steps = {}
        for cid, _ in target.tables:
            competency = matrix.competencies[cid]
            why = (
                f"Not assessed yet: {goal_level.name} expects {_label(competency.required.get(goal_level.id, 0))} "
                f"in {competency.name}. Take its area's quiz or rate yourself first, so the plan starts from "
                "where you are, not from zero."
            )
            steps[cid] = PlannedStep(cid, matrix.levels[index].id, 0, 0, 0, (), why, FIND_OUT, 0, 0)
        matrix.memo[key] = steps
    return matrix.memo[key]


def _with_dependents(step: PlannedStep, names: tuple[str, ...]) -> PlannedStep:
    because = f"{names[0]} builds on it" if len(names) == 1 else f"these build on it: {'; '.join(names)}"
    return step._replace(why=f"{step.why} It comes first in this milestone because {because}.")


def _with_later(entry: tuple, planned: set[int]) -> PlannedStep:
    """The entry's step, naming the steps of its milestone in this plan that build on it (kept per
    set of them on the entry: the next plan with the same set finds it at once)."""
    _, _, _, step, builds_on, stages, with_after = entry
    after = tuple([name for stage, name in builds_on if stage in planned])
    found = with_after[stages & planned] = _with_dependents(step, after)
    return found


MILESTONE_KEY = 1_000_000_000  # sort keys of milestone i lie in [i, i + 1) times this


def build_plan(*, estimates: Mapping[int, int], matrix: Matrix, target_id: int, stack: str = "") -> Plan:
    """The ordered steps from ``estimates`` (assessed competency id -> current proficiency step
    0-4; a competency absent is not assessed yet) to the target, for a learner working in ``stack``."""
    target = _compiled(matrix, target_id, stack)
    tables = target.tables
    learn = [entry for cid, table in tables if cid in estimates for entry in table[estimates[cid]]]
    unknown = [cid for cid, _ in tables if cid not in estimates]
    learn.sort()
    planned = {entry[2] for entry in learn}
    steps = [
        entry[3] if entry[5].isdisjoint(planned) else entry[6].get(entry[5] & planned) or _with_later(entry, planned)
        for entry in learn
    ]
    keys = [entry[0] for entry in learn]
    first = learn[0][1] if learn else target.index
    milestones = []
    for index in range(first, target.index + 1):
        start, end = bisect_left(keys, index * MILESTONE_KEY), bisect_left(keys, (index + 1) * MILESTONE_KEY)
        found = steps[start:end]
        if index == first and unknown:
            find_out = _find_out_steps(matrix, first, target)
            found = [find_out[cid] for cid in unknown] + found
        if found:
            milestones.append(Milestone(level=matrix.levels[index], steps=tuple(found)))
    return Plan(target_id=target_id, milestones=tuple(milestones))
