"""A mentor's mentees, and one mentee's standing and roadmap (/mentor/...)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema

from assessments.standing import learner_standing
from roadmap.mentor_dashboard import EPOCH, FLAGS, SORTS, DashboardQuery, mentees
from roadmap.mentor_views import _get_mentee_for_mentor, _require_mentor

from .roadmaps import RoadmapOut, roadmap_out
from .schemas import ERRORS, MAX_ID, Error, LevelOut, PageParams, level_out
from .standings import StandingOut, standing_out

# The access checks are the mentor pages' own (``_require_mentor``: the Mentors group;
# ``_get_mentee_for_mentor``: an active mentorship, read on every request), so the two cannot drift.
router = Router(tags=["mentor"])
MENTEE_ID = Path(..., ge=1, le=MAX_ID)

MenteeSort = Literal[tuple(SORTS) + tuple(f"-{name}" for name in SORTS)]
MenteeFlag = Literal["", "any", *FLAGS]


class MenteeFilters(Schema):
    sort: MenteeSort = Field("activity", description="A column; a leading - sorts descending.")
    flag: MenteeFlag = Field("", description="Only mentees with this flag (any: with any).")
    q: str = Field("", max_length=100, description="Part of a username.")


class MenteeOut(Schema):
    id: int
    username: str
    measured_level: LevelOut | None
    target_level: LevelOut | None
    progress: int = Field(description="Learning steps finished, percent.")
    steps_total: int
    steps_finished: int
    hours_left: int
    last_activity: datetime | None
    flags: list[str] = Field(description=f"Any of {', '.join(FLAGS)}.")


class MenteePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MenteeOut]


def mentee_out(row) -> MenteeOut:
    """A row of the mentor dashboard (``roadmap.mentor_dashboard.mentees``)."""
    roadmap = getattr(row, "roadmap", None)
    profile = getattr(row, "profile", None)
    return MenteeOut(
        id=row.pk,
        username=row.get_username(),
        measured_level=level_out(roadmap.measured_level) if roadmap else None,
        target_level=level_out(profile.target_level) if profile else None,
        progress=row.progress,
        steps_total=row.steps_total,
        steps_finished=row.steps_finished,
        hours_left=row.hours_left,
        last_activity=row.last_activity if row.last_activity > EPOCH else None,  # EPOCH: never
        flags=[key for key in FLAGS if getattr(row, f"flag_{key}", False)],
    )


@router.get("/mentor/mentees", response={200: MenteePage, 422: Error, **ERRORS})
def mentee_list(request: HttpRequest, page: Query[PageParams], filters: Query[MenteeFilters]):
    """Your mentees as the mentor dashboard lists them: progress, last activity and flags, sorted
    and filtered as there."""
    _require_mentor(request)
    query = DashboardQuery.from_params(filters.dict())
    rows = mentees(mentor=request.user, now=timezone.now(), query=query)
    return MenteePage(
        count=rows.count(),
        limit=page.limit,
        offset=page.offset,
        items=[mentee_out(row) for row in rows[page.offset : page.offset + page.limit]],
    )


@router.get("/mentor/mentees/{learner_id}/standing", response={200: StandingOut, **ERRORS})
def mentee_standing(request: HttpRequest, learner_id: int = MENTEE_ID):
    """A mentee's stored standing (yours while you mentor them)."""
    return standing_out(learner_standing(user=_get_mentee_for_mentor(request, learner_id)))


@router.get("/mentor/mentees/{learner_id}/roadmap", response={200: RoadmapOut, 422: Error, **ERRORS})
def mentee_roadmap(request: HttpRequest, page: Query[PageParams], learner_id: int = MENTEE_ID):
    """A mentee's roadmap; a note and its links only where the mentee shares them."""
    learner = _get_mentee_for_mentor(request, learner_id)
    roadmap = getattr(learner, "roadmap", None)  # read with the mentee
    return roadmap_out(roadmap, learner, page=page, mentor_view=True)
