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


def planner_inputs(*, standing: Standing) -> tuple[dict[int, int], Matrix, int | None]:
    """Current proficiency steps, the matrix and the target, in a fixed number of queries."""
    prerequisites: dict[int, list[int]] = {}
    for from_id, to_id in Competency.prerequisites.through.objects.values_list(
        "from_competency_id", "to_competency_id"
    ):
        prerequisites.setdefault(from_id, []).append(to_id)
    resources: dict[int, list[ResourceSpec]] = {}
    for rid, cid, hours, proficiency in Resource.objects.order_by("id").values_list(
        "id", "competency_id", "hours", "proficiency"
    ):
        resources.setdefault(cid, []).append(ResourceSpec(id=rid, hours=hours, proficiency=proficiency))
    levels = tuple(LevelSpec(id=level.pk, name=level.name) for level in standing.levels)
    competencies = {}
    estimates = {}
    # A competency not assessed yet is assumed at the expectation of the level the learner reaches
    # with 80% probability: cautious, so thin evidence never plans a step away.
    assumed_index = standing.placement.at_least(ASSUME_LEVEL_SURE) if standing.placement else None
    for area in standing.areas:
        for row in area.competencies:
            c = row.competency
            competencies[c.pk] = CompetencySpec(
                id=c.pk,
                name=c.name,
                sort_key=(area.area.order, c.order, c.pk),
                prerequisites=tuple(sorted(prerequisites.get(c.pk, []))),
                required={cell.level_id: cell.proficiency for cell in row.expectations if cell},
                resources=tuple(resources.get(c.pk, [])),
            )
            current = row.current
            if current is not None:
                estimates[c.pk] = current.cautious_step
            elif assumed_index is not None and row.expectations[assumed_index] is not None:
                # Not assessed yet: never 0 once there is evidence. (With no evidence at all there is
                # no measured level: planned from 0.)
                estimates[c.pk] = row.expectations[assumed_index].proficiency
    return estimates, Matrix(levels=levels, competencies=competencies), standing.profile.target_level_id


CONFIDENCE_GAP = 2
ASSUME_LEVEL_SURE = 0.8


def inputs_digest(estimates: dict[int, int], matrix: Matrix, target_id: int | None) -> str:
    payload = {
        "estimates": sorted(estimates.items()),
        "target": target_id,
        "levels": [asdict(level) for level in matrix.levels],
        "competencies": [
            {**asdict(c), "required": sorted(c.required.items())} for _, c in sorted(matrix.competencies.items())
        ],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=list).encode()).hexdigest()


_PLANNED_FIELDS = ["milestone_id", "position", "from_proficiency", "to_proficiency", "hours", "why"]


def _save_plan(roadmap: Roadmap, plan: Plan, *, now: datetime) -> None:
    """Write the plan over the roadmap's steps, in place by competency.

    A step that stays in the plan keeps its row (so its id, status, note and sharing survive and a
    page left open still posts to it); only the planned fields change. Steps no longer planned go.
    """
    previous = {step.competency_id: step for step in roadmap.steps.all()}
    planned_ids = {planned.competency_id for planned in plan.steps}
    roadmap.steps.exclude(competency_id__in=planned_ids).delete()
    kept, created = [], []
    for position, planned in enumerate(plan.steps):
        values = {
            "milestone_id": planned.milestone_id,
            "position": position,
            "from_proficiency": planned.from_proficiency,
            "to_proficiency": planned.to_proficiency,
            "hours": planned.hours,
            "why": planned.why,
        }
        step = previous.get(planned.competency_id)
        if step is None:
            created.append(RoadmapStep(roadmap=roadmap, competency_id=planned.competency_id, added_at=now, **values))
        else:
            for field, value in values.items():
                setattr(step, field, value)
            kept.append(step)
    RoadmapStep.objects.bulk_update(kept, _PLANNED_FIELDS)
    RoadmapStep.objects.bulk_create(created)
    step_by_competency = {step.competency_id: step for step in [*kept, *created]}
    links = RoadmapStep.resources.through
    links.objects.filter(roadmapstep__roadmap=roadmap).delete()
    links.objects.bulk_create(
        [
            links(roadmapstep_id=step_by_competency[planned.competency_id].pk, resource_id=rid)
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
        estimates, matrix, target_id = planner_inputs(standing=standing)
        digest = inputs_digest(estimates, matrix, target_id)
        outcome = "unchanged"
        if digest != roadmap.inputs_digest or roadmap.version == 0 or roadmap.status == Roadmap.Status.FAILED:
            if target_id is None:
                roadmap.steps.all().delete()
            else:
                _save_plan(roadmap, build_plan(estimates=estimates, matrix=matrix, target_id=target_id), now=now)
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
