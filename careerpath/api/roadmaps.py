"""A roadmap and its steps as the API answers them, and a step's change as it accepts it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from assessments.content import content_load
from assessments.standing import learner_profile
from roadmap.compute import content_resources
from roadmap.forms import StepNoteForm
from roadmap.models import Roadmap, RoadmapStep
from roadmap.progress import roadmap_summary
from roadmap.views import RoadmapParts

from .schemas import LevelOut, PageParams, level_out

StepStatus = Literal[tuple(RoadmapStep.Status.values)]
NOTE_MAX_LENGTH = StepNoteForm.base_fields["note"].max_length


class ResourceOut(Schema):
    title: str
    url: str
    kind: str
    hours: int


class LinkOut(Schema):
    url: str
    title: str


class StepOut(Schema):
    id: int
    position: int
    competency: str
    name: str
    area: str
    milestone: LevelOut
    kind: Literal[tuple(RoadmapStep.Kind.values)] = Field(description="learn, or assess: find out first.")
    from_proficiency: int
    to_proficiency: int
    hours: int
    hours_low: int
    hours_high: int
    why: str
    resources: list[ResourceOut]
    status: StepStatus
    status_changed_at: datetime | None
    note: str | None = Field(description="To a mentor: only when the learner shares it.")
    note_shared: bool
    links: list[LinkOut] = Field(description="To a mentor: only with the shared note.")


class MilestoneOut(Schema):
    level: str = Field(description="The level's name.")
    steps_total: int = Field(description="Learning steps (find-out steps are not progress).")
    steps_finished: int
    hours_left: int
    expected: date | None = Field(description="At the learner's weekly pace.")


class StepPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StepOut]


class RoadmapOut(Schema):
    status: Literal["none", *Roadmap.Status.values] = Field(description="none: no roadmap yet.")
    computed_at: datetime | None
    target: LevelOut | None
    steps_total: int
    steps_finished: int
    percent: int
    hours_left: int
    milestones: list[MilestoneOut]
    steps: StepPage


class StepChange(Schema):
    status: StepStatus | None = None
    note: str | None = Field(None, max_length=NOTE_MAX_LENGTH)
    note_shared: bool | None = None


def step_out(step: RoadmapStep, *, mentor_view: bool = False) -> StepOut:
    """A step; its milestone, area and resources from the content held in memory (no query)."""
    content = content_load()
    resources = content_resources(content)
    milestone = next((level for level in content.levels if level.pk == step.milestone_id), None)
    area = next((area for area in content.areas if area.pk == step.competency.area_id), None)
    shown = step.note_shared or not mentor_view  # what the mentee page shows a mentor
    return StepOut(
        id=step.pk,
        position=step.position,
        competency=step.competency.slug,
        name=step.competency.name,
        area=(area or step.competency.area).slug,  # else added since the content was read: it loads itself
        milestone=level_out(milestone or step.milestone),
        kind=step.kind,
        from_proficiency=step.from_proficiency,
        to_proficiency=step.to_proficiency,
        hours=step.hours,
        hours_low=step.hours_low,
        hours_high=step.hours_high,
        why=step.why,
        resources=[
            ResourceOut(title=r.title, url=r.url, kind=r.kind, hours=r.hours)
            for r in (resources[rid] for rid in step.resource_ids if rid in resources)
        ],
        status=step.status,
        status_changed_at=step.status_changed_at,
        note=step.note if shown else None,
        note_shared=step.note_shared,
        links=step.links if shown else [],
    )


def roadmap_out(roadmap: Roadmap | None, learner, *, page: PageParams, mentor_view: bool) -> RoadmapOut:
    """The roadmap with its progress per milestone, worked out from every step as the page does (one
    read of the steps), and one page of its steps."""
    steps = RoadmapParts(roadmap, learner).steps
    summary = roadmap_summary(steps, weekly_hours=learner_profile(learner).weekly_hours, today=timezone.localdate())
    shown = steps[page.offset : page.offset + page.limit]
    return RoadmapOut(
        status=roadmap.status if roadmap else "none",
        computed_at=roadmap.computed_at if roadmap else None,
        target=level_out(roadmap.target_level) if roadmap else None,
        steps_total=summary.total,
        steps_finished=summary.finished,
        percent=summary.percent,
        hours_left=summary.hours_left,
        milestones=[
            MilestoneOut(
                level=m.level_name,
                steps_total=m.total,
                steps_finished=m.finished,
                hours_left=m.hours_left,
                expected=m.expected,
            )
            for m in summary.milestones
        ],
        steps=StepPage(
            count=len(steps),
            limit=page.limit,
            offset=page.offset,
            items=[step_out(step, mentor_view=mentor_view) for step in shown],
        ),
    )
