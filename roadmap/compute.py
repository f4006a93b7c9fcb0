"""Computing a learner's roadmap: load the planner's inputs, plan, and save a new version.

Runs inside a Celery job (``roadmap.tasks``). Idempotent: the same inputs produce no new version.
A learner's step statuses and notes carry over to the new version for the same competency.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.content import Content, content_load
from assessments.models import Competency, Resource
from assessments.standing import Standing, learner_standing, standing_refresh

from .models import Roadmap, RoadmapRequest, RoadmapStep
from .notifications import notify
from .planner import CompetencySpec, LevelSpec, Matrix, Plan, ResourceSpec, build_plan


def confidence_gaps(standing: Standing) -> tuple[int, int]:
    """How many competencies the learner rates two or more steps above / below their quiz estimate."""
    over = under = 0
    for area in standing.areas:
        for row in area.competencies:
            if row.self_rating is None or row.estimate is None:
                continue
            gap = row.self_rating - row.estimate.step
            over += gap >= CONFIDENCE_GAP
            under += gap <= -CONFIDENCE_GAP
    return over, under


_matrix: tuple[Content, Matrix, str] | None = None


def planner_matrix(content: Content) -> tuple[Matrix, str]:
    """The matrix as the planner sees it and its fingerprint, built once per content copy (two
    queries: prerequisites and resources); a recompute of many learners shares one."""
    global _matrix
    if _matrix is not None and _matrix[0] is content:
        return _matrix[1], _matrix[2]
    prerequisites: dict[int, list[int]] = {}
    for from_id, to_id in Competency.prerequisites.through.objects.values_list(
        "from_competency_id", "to_competency_id"
    ):
        prerequisites.setdefault(from_id, []).append(to_id)
    resources: dict[int, list[ResourceSpec]] = {}
    for rid, cid, hours, proficiency, stack in Resource.objects.order_by("id").values_list(
        "id", "competency_id", "hours", "proficiency", "stack"
    ):
        resources.setdefault(cid, []).append(ResourceSpec(id=rid, hours=hours, proficiency=proficiency, stack=stack))
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
    _matrix = (content, matrix, fingerprint)
    return matrix, fingerprint


def planner_estimates(standing: Standing) -> dict[int, int]:
    """What the plan may take as the learner's proficiency in each assessed competency (cautious:
    thin evidence never plans a step away). A competency not assessed yet is absent: the planner
    makes it a "find out" step rather than guessing."""
    return {
        row.competency.pk: row.current.cautious_step
        for area in standing.areas
        for row in area.competencies
        if row.current is not None
    }


CONFIDENCE_GAP = 2


def inputs_digest(*, fingerprint: str, estimates: dict[int, int], target_id: int | None, stack: str) -> str:
    """Same matrix and same learner inputs: same plan, so no new version."""
    learner = json.dumps([sorted(estimates.items()), target_id, stack])
    return hashlib.sha256(f"{fingerprint}:{learner}".encode()).hexdigest()


_PLANNED_FIELDS = [
    "position", "kind", "from_proficiency", "to_proficiency", "hours", "hours_low", "hours_high", "why"
]  # fmt: skip


def _save_plan(roadmap: Roadmap, plan: Plan, *, now: datetime) -> None:
    """Write the plan over the roadmap's steps, in place by (competency, milestone).

    A step that stays in the plan keeps its row (so its id, status, note, links and sharing survive
    and a page left open still posts to it); only the planned fields change. Steps no longer planned go.
    """
    previous = {(step.competency_id, step.milestone_id): step for step in roadmap.steps.all()}
    planned_keys = {(planned.competency_id, planned.milestone_id) for planned in plan.steps}
    gone = [step.pk for key, step in previous.items() if key not in planned_keys]
    if gone:
        RoadmapStep.objects.filter(pk__in=gone).delete()
    kept, created = [], []
    for position, planned in enumerate(plan.steps):
        values = {
            "position": position,
            "kind": planned.kind,
            "from_proficiency": planned.from_proficiency,
            "to_proficiency": planned.to_proficiency,
            "hours": planned.hours,
            "hours_low": planned.hours_low,
            "hours_high": planned.hours_high,
            "why": planned.why,
        }
        step = previous.get((planned.competency_id, planned.milestone_id))
        if step is None:
            created.append(
                RoadmapStep(
                    roadmap=roadmap,
                    competency_id=planned.competency_id,
                    milestone_id=planned.milestone_id,
                    added_at=now,
                    **values,
                )
            )
        else:
            for field, value in values.items():
                setattr(step, field, value)
            kept.append(step)
    RoadmapStep.objects.bulk_update(kept, _PLANNED_FIELDS)
    RoadmapStep.objects.bulk_create(created)
    step_by_key = {(step.competency_id, step.milestone_id): step for step in [*kept, *created]}
    links = RoadmapStep.resources.through
    links.objects.filter(roadmapstep__roadmap=roadmap).delete()
    links.objects.bulk_create(
        [
            links(roadmapstep_id=step_by_key[(planned.competency_id, planned.milestone_id)].pk, resource_id=rid)
            for planned in plan.steps
            for rid in planned.resource_ids
        ]
    )


def roadmap_recompute(*, learner_id: int, now: datetime) -> str:
    """Bring the learner's roadmap up to date; returns 'updated', 'unchanged' or 'gone'."""
    learner = get_user_model().objects.filter(pk=learner_id).first()
    if learner is None:
        return "gone"
    Roadmap.objects.get_or_create(learner=learner)
    with transaction.atomic():
        # One recompute per learner at a time; inputs are read under the lock so none is stale.
        roadmap = Roadmap.objects.select_for_update().get(learner=learner)
        # The roadmap rests on a standing computed now with fresh content and item parameters
        # (so content changes and recalibration reach it), never on a stale copy.
        standing_refresh(learner_id=learner.pk, now=now, fresh_content=True)
        # The fresh read above is now this process's copy: reading it again would rebuild the
        # matrix and item bank (about 60 ms) for nothing.
        standing = learner_standing(user=learner)
        matrix, fingerprint = planner_matrix(content_load())
        estimates = planner_estimates(standing)
        target_id, stack = standing.profile.target_level_id, standing.profile.stack
        digest = inputs_digest(fingerprint=fingerprint, estimates=estimates, target_id=target_id, stack=stack)
        outcome = "unchanged"
        if digest != roadmap.inputs_digest or roadmap.version == 0 or roadmap.status == Roadmap.Status.FAILED:
            if target_id is None:
                roadmap.steps.all().delete()
            else:
                plan = build_plan(estimates=estimates, matrix=matrix, target_id=target_id, stack=stack)
                _save_plan(roadmap, plan, now=now)
            roadmap.version += 1
            roadmap.target_level_id = target_id
            roadmap.computed_at = now
            roadmap.inputs_digest = digest
            roadmap.error = ""
            outcome = "updated"
        roadmap.status = Roadmap.Status.READY
        roadmap.measured_level = standing.level
        roadmap.overconfident, roadmap.underconfident = confidence_gaps(standing)
        roadmap.save()
        if outcome == "updated" and target_id is not None:
            notify(
                recipient_id=learner.pk,
                message="Your roadmap is ready.",
                url="/roadmap/",
                now=now,
                supersede=True,
                email=standing.profile.roadmap_emails,
            )
        RoadmapRequest.objects.pending().filter(learner=learner, requested_at__lte=now).update(done_at=now)
    return outcome


def roadmap_fail(*, learner_id: int, error: str, now: datetime) -> None:
    """A job that cannot succeed: say so on the page and close the requests it was handling."""
    with transaction.atomic():
        roadmap, _ = Roadmap.objects.get_or_create(learner_id=learner_id)
        roadmap.mark_failed(error=error)
        RoadmapRequest.objects.pending().filter(learner_id=learner_id, requested_at__lte=now).update(done_at=now)
