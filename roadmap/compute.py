"""Computing roadmaps: load the planner's inputs, plan, and save a new version.

Runs inside a Celery job (``roadmap.tasks``), for one learner or a chunk of learners at once
(``roadmaps_recompute``): the content is read once per chunk, the standings refreshed together (and
only where the measurement changed: evidence changes refresh them when they happen), and the reads
and writes batched, so the queries per chunk do not grow with its size. Idempotent: the same inputs
(the matrix's fingerprint and the learner's own) produce no new version, nor does a plan equal to
the stored one. A learner's step statuses, notes and links carry over for the same (competency,
milestone).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.content import Content, content_load
from assessments.models import Competency, CompetencyEstimate, LearnerProfile, Resource
from assessments.scoring import CurrentProficiency, proficiency_step
from assessments.standing import Placement, standings_refresh
from careerpath.bulk import delete_where_in, insert_rows, new_ids, update_rows

from .models import FINISHED, Roadmap, RoadmapRequest, RoadmapStep
from .notifications import notify_superseding
from .planner import CompetencySpec, LevelSpec, Matrix, Plan, ResourceSpec, build_plan


@dataclass
class LearnerInputs:
    """What a learner's plan and roadmap row are computed from, read for a chunk at once."""

    target_id: int | None = None
    stack: str = ""
    emails: bool = True
    estimates: dict[int, int] = field(default_factory=dict)  # assessed competency -> cautious step
    overconfident: int = 0  # competencies self-rated CONFIDENCE_GAP or more above the quiz estimate
    underconfident: int = 0


def learners_inputs(learner_ids: list[int]) -> dict[int, LearnerInputs]:
    """Targets, stacks and stored estimates of many learners, in two queries."""
    found = {learner_id: LearnerInputs() for learner_id in learner_ids}
    for learner_id, target_id, stack, emails in LearnerProfile.objects.filter(user_id__in=learner_ids).values_list(
        "user_id", "target_level_id", "stack", "roadmap_emails"
    ):
        found[learner_id].target_id, found[learner_id].stack, found[learner_id].emails = target_id, stack, emails
    for learner_id, cid, proficiency, spread, self_rating, quiz in CompetencyEstimate.objects.filter(
        learner_id__in=learner_ids
    ).values_list("learner_id", "competency_id", "proficiency", "spread", "self_rating", "quiz_proficiency"):
        inputs = found[learner_id]
        # As the pages read it (CompetencyStanding.current): what the plan may take as done.
        current = CurrentProficiency(value=round(proficiency, 2), spread=round(spread, 2), sources=())
        inputs.estimates[cid] = current.cautious_step
        if self_rating is not None and quiz is not None:
            gap = self_rating - proficiency_step(round(quiz, 2))
            inputs.overconfident += gap >= CONFIDENCE_GAP
            inputs.underconfident += gap <= -CONFIDENCE_GAP
    return found


_matrix: tuple[Content, Matrix, str, dict[int, Resource]] | None = None


def planner_matrix(content: Content) -> tuple[Matrix, str]:
    """The matrix as the planner sees it and its fingerprint, built once per content copy (two
    queries: prerequisites and resources); a recompute of many learners shares one."""
    return _planner_content(content)[1:3]


def content_resources(content: Content) -> dict[int, Resource]:
    """Every resource by id, held with the matrix (a roadmap step stores only the ids)."""
    return _planner_content(content)[3]


def _planner_content(content: Content) -> tuple[Content, Matrix, str, dict[int, Resource]]:
    global _matrix
    if _matrix is not None and _matrix[0] is content:
        return _matrix
    prerequisites: dict[int, list[int]] = {}
    for from_id, to_id in Competency.prerequisites.through.objects.values_list(
        "from_competency_id", "to_competency_id"
    ):
        prerequisites.setdefault(from_id, []).append(to_id)
    resources: dict[int, list[ResourceSpec]] = {}
    by_id = {resource.pk: resource for resource in Resource.objects.order_by("id")}
    for resource in by_id.values():
        resources.setdefault(resource.competency_id, []).append(
            ResourceSpec(id=resource.pk, hours=resource.hours, proficiency=resource.proficiency, stack=resource.stack)
        )
    levels = tuple(LevelSpec(id=level.pk, name=level.name) for level in content.levels)
    competencies = {}
    for area in content.areas:
        for c in area.competencies.all():
            competencies[c.pk] = CompetencySpec(
                id=c.pk,
                name=c.name,
                sort_key=(area.order, c.order, c.pk),
                prerequisites=tuple(sorted(prerequisites.get(c.pk, []))),
                required={cell.level_id: cell.proficiency for cell in c.expectations.all()},
                resources=tuple(resources.get(c.pk, [])),
            )
    matrix = Matrix(levels=levels, competencies=competencies)
    payload = {
        "levels": [asdict(level) for level in levels],
        "competencies": [
            {**asdict(c), "required": sorted(c.required.items())} for _, c in sorted(competencies.items())
        ],
    }
    fingerprint = hashlib.sha256(json.dumps(payload, sort_keys=True, default=list).encode()).hexdigest()
    _matrix = (content, matrix, fingerprint, by_id)
    return _matrix


CONFIDENCE_GAP = 2


def inputs_digest(*, fingerprint: str, estimates: dict[int, int], target_id: int | None, stack: str) -> str:
    """Same matrix and same learner inputs: same plan, so no new version."""
    learner = json.dumps([sorted(estimates.items()), target_id, stack])
    return hashlib.sha256(f"{fingerprint}:{learner}".encode()).hexdigest()


def plan_digest(plan: Plan) -> str:
    return hashlib.sha256(repr([tuple(step) for step in plan.steps]).encode()).hexdigest()


_KEPT_FIELDS = ["status", "status_changed_at", "note", "note_shared", "links", "added_at"]
_STEP_FIELDS = [
    "id", "roadmap", "competency", "milestone", "position", "kind", "from_proficiency", "to_proficiency",
    "hours", "hours_low", "hours_high", "why", "resource_ids", *_KEPT_FIELDS,
]  # fmt: skip


def _save_plans(plans: dict[Roadmap, Plan | None], *, now: datetime) -> None:
    """Write each roadmap's plan over its steps. A step that stays in the plan (same competency and
    milestone) keeps its row id, status, note, links and sharing, so a page left open still posts to
    it; the planned fields are the new plan's. Steps no longer planned go. Four statements however
    many roadmaps, written as plain rows (careerpath/bulk.py)."""
    roadmap_ids = {roadmap: roadmap.pk for roadmap in plans}
    kept = {
        (row[1], row[2], row[3]): (row[0], *row[4:])
        for row in RoadmapStep.objects.filter(roadmap__in=list(roadmap_ids.values())).values_list(
            "id", "roadmap_id", "competency_id", "milestone_id", *_KEPT_FIELDS
        )
    }
    planned = [
        (roadmap_ids[roadmap], position, step)
        for roadmap, plan in plans.items()
        for position, step in enumerate(plan.steps if plan else ())
    ]
    fresh = iter(new_ids(RoadmapStep, sum((r, s.competency_id, s.milestone_id) not in kept for r, _, s in planned)))
    delete_where_in(RoadmapStep, "roadmap", list(roadmap_ids.values()))
    new = (RoadmapStep.Status.TODO, None, "", False, [], now)  # the kept fields of a step new to the plan
    steps = []
    for roadmap_id, position, step in planned:
        step_id, *earlier = kept.get((roadmap_id, step.competency_id, step.milestone_id)) or (next(fresh), *new)
        steps.append(
            (step_id, roadmap_id, step.competency_id, step.milestone_id, position, step.kind,
             step.from_proficiency, step.to_proficiency, step.hours, step.hours_low, step.hours_high, step.why,
             list(step.resource_ids), *earlier)
        )  # fmt: skip
    insert_rows(RoadmapStep, _STEP_FIELDS, steps)
    _progress_store(plans, steps)


def _progress_store(plans: dict[Roadmap, Plan | None], steps: list[tuple]) -> None:
    """Set each roadmap's stored progress (learning steps, finished, hours left, oldest step) from
    the steps just written; the caller saves the roadmaps."""
    by_roadmap: dict[int, list[tuple]] = {}
    for step in steps:
        by_roadmap.setdefault(step[1], []).append(step)
    kind, hours, status, added_at = (_STEP_FIELDS.index(name) for name in ("kind", "hours", "status", "added_at"))
    for roadmap in plans:
        rows = by_roadmap.get(roadmap.pk, [])
        learning = [row for row in rows if row[kind] == RoadmapStep.Kind.LEARN]
        roadmap.steps_total = len(learning)
        roadmap.steps_finished = sum(row[status] in FINISHED for row in learning)
        roadmap.hours_left = sum(row[hours] for row in learning if row[status] not in FINISHED)
        roadmap.first_step_added_at = min((row[added_at] for row in rows), default=None)


def roadmaps_recompute(*, learner_ids: list[int], now: datetime, reestimate: bool = True) -> dict[int, str]:
    """Bring each learner's roadmap up to date: 'updated', 'unchanged' or 'gone' per learner.

    The standings are estimated again first (so a change of evidence that bypassed the usual paths
    is caught too), or with ``reestimate`` off, as for a content change across all learners, only
    those estimated with another measurement (matrix or item parameters)."""
    ids = sorted(set(learner_ids))
    present = set(get_user_model().objects.filter(pk__in=ids).values_list("pk", flat=True))
    outcomes = {learner_id: "gone" for learner_id in ids if learner_id not in present}
    ids = [learner_id for learner_id in ids if learner_id in present]
    if not ids:
        return outcomes
    Roadmap.objects.bulk_create([Roadmap(learner_id=learner_id) for learner_id in ids], ignore_conflicts=True)
    # Stored: a copy that no shared version vouches for is read anew (a process without a shared
    # cache may hold one up to a minute old).
    content = content_load(stored=True)
    matrix, fingerprint = planner_matrix(content)
    with transaction.atomic():
        # Standings first, as a rating's own transaction does (then the roadmap): no lock-order deadlock.
        standings = standings_refresh(
            learner_ids=ids, now=now, measurement=content.measurement, only_stale=not reestimate
        )
        roadmaps = {
            roadmap.learner_id: roadmap
            for roadmap in Roadmap.objects.select_for_update().filter(learner_id__in=ids).order_by("learner_id")
        }
        inputs = learners_inputs(ids)
        plans: dict[Roadmap, Plan | None] = {}
        updated = []
        for learner_id in ids:
            roadmap, known = roadmaps[learner_id], inputs[learner_id]
            digest = inputs_digest(
                fingerprint=fingerprint, estimates=known.estimates, target_id=known.target_id, stack=known.stack
            )
            fresh = roadmap.version > 0 and roadmap.status != Roadmap.Status.FAILED
            outcomes[learner_id] = "unchanged"
            if digest != roadmap.inputs_digest or not fresh:
                plan = None
                if known.target_id is not None:
                    plan = build_plan(
                        estimates=known.estimates, matrix=matrix, target_id=known.target_id, stack=known.stack
                    )
                planned = plan_digest(plan) if plan else ""
                if planned != roadmap.plan_digest or known.target_id != roadmap.target_level_id or not fresh:
                    plans[roadmap] = plan
                    roadmap.version += 1
                    roadmap.target_level_id = known.target_id
                    roadmap.computed_at = now
                    roadmap.plan_digest = planned
                    roadmap.error = ""
                    outcomes[learner_id] = "updated"
                    if known.target_id is not None:
                        updated.append(learner_id)
                roadmap.inputs_digest = digest
            placement = Placement.from_stored(standings[learner_id].level_probabilities)
            roadmap.status = Roadmap.Status.READY
            roadmap.measured_level_id = content.levels[placement.index].pk if placement else None
            roadmap.overconfident, roadmap.underconfident = known.overconfident, known.underconfident
        if plans:
            _save_plans(plans, now=now)
        update_rows(
            Roadmap,
            _ROADMAP_FIELDS,
            [[getattr(r, attname) for attname in _ROADMAP_ATTRS] + [r.pk] for r in roadmaps.values()],
        )
        notify_superseding(
            recipients={learner_id: inputs[learner_id].emails for learner_id in updated},
            message="Your roadmap is ready.",
            url="/roadmap/",
            now=now,
        )
        RoadmapRequest.objects.pending().filter(learner_id__in=ids, requested_at__lte=now).update(done_at=now)
    return outcomes


_ROADMAP_FIELDS = [
    "version", "status", "target_level", "computed_at", "inputs_digest", "plan_digest", "error",
    "measured_level", "overconfident", "underconfident",
    "steps_total", "steps_finished", "hours_left", "first_step_added_at",
]  # fmt: skip


_ROADMAP_ATTRS = [Roadmap._meta.get_field(name).attname for name in _ROADMAP_FIELDS]


def roadmap_recompute(*, learner_id: int, now: datetime) -> str:
    """Bring one learner's roadmap up to date; returns 'updated', 'unchanged' or 'gone'."""
    return roadmaps_recompute(learner_ids=[learner_id], now=now)[learner_id]


def roadmap_fail(*, learner_id: int, error: str, now: datetime) -> None:
    """A job that cannot succeed: say so on the page and close the requests it was handling."""
    with transaction.atomic():
        roadmap, _ = Roadmap.objects.get_or_create(learner_id=learner_id)
        roadmap.mark_failed(error=error)
        RoadmapRequest.objects.pending().filter(learner_id=learner_id, requested_at__lte=now).update(done_at=now)
