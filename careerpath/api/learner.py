"""A learner's own standing, results and roadmap, and changes to the roadmap's steps (/me/...)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router
from ninja.errors import HttpError

from assessments.standing import learner_standing
from roadmap.forms import StepNoteForm
from roadmap.rechecks import step_status_change
from roadmap.views import _locked_step_for_user, roadmap_of

from .access import require_write
from .roadmaps import RoadmapOut, StepChange, StepOut, roadmap_out, step_out
from .schemas import ERRORS, MAX_ID, Error, PageParams
from .standings import ResultsOut, StandingOut, results_out, standing_out

router = Router(tags=["learner"])


@router.get("/me/standing", response={200: StandingOut, **ERRORS})
def my_standing(request: HttpRequest):
    """Where you stand: the stored level probabilities, overall and per area, and an estimate per
    assessed competency (refreshed by every answer and rating; never estimated per request)."""
    return standing_out(learner_standing(user=request.user))


@router.get("/me/results", response={200: ResultsOut, **ERRORS})
def my_results(request: HttpRequest):
    """The results page's figures: strongest and weakest areas against your target, then per area
    and per competency (self-rating, what answers say, mentor rating, combined, level met)."""
    return results_out(learner_standing(user=request.user))


@router.get("/me/roadmap", response={200: RoadmapOut, 422: Error, **ERRORS})
def my_roadmap(request: HttpRequest, page: Query[PageParams]):
    """Your roadmap: progress per milestone with its expected date at your weekly pace, and a page
    of steps in plan order with their status and note."""
    return roadmap_out(roadmap_of(request.user), request.user, page=page, mentor_view=False)


def _note_cleaned(note: str) -> str:
    """The note as the roadmap page's form takes it (stripped, no NUL, at most its length)."""
    form = StepNoteForm({"note": note})
    if not form.is_valid():
        raise HttpError(422, f"note: {form.errors['note'][0]}")
    return form.cleaned_data["note"]


@router.patch("/me/roadmap/steps/{step_id}", response={200: StepOut, 400: Error, 422: Error, **ERRORS})
def step_change(request: HttpRequest, change: StepChange, step_id: int = Path(..., ge=1, le=MAX_ID)):
    """Change a step's status, note or whether the note is shared with your mentors (a read and
    write token). The same rule as the roadmap page: the step's roadmap is locked while it changes,
    the stored progress is counted again and the page shows the change."""
    require_write(request)
    if change.status is None and change.note is None and change.note_shared is None:
        raise HttpError(422, "Send at least one of status, note, note_shared.")
    note = None if change.note is None else _note_cleaned(change.note)
    with transaction.atomic():
        step = _locked_step_for_user(request, step_id)
        if step is None:
            raise Http404("No such step in your roadmap.")
        if change.status is not None:
            step_status_change(step, change.status, now=timezone.now())
        if note is not None or change.note_shared is not None:
            shared = step.note_shared if change.note_shared is None else change.note_shared
            step.set_note(step.note if note is None else note, shared=shared)
    return step_out(step)
