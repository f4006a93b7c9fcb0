from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_POST

from assessments.content import content_load, content_version
from assessments.standing import learner_profile
from careerpath.fragments import cached_fragment
from careerpath.sql import first_row

from .comments import thread_step_id, threads
from .compute import content_resources, planner_matrix
from .forms import StepLinkForm, StepNoteForm, StepStatusForm
from .layout import roadmap_layout
from .models import Comment, Recheck, Roadmap, RoadmapStep
from .progress import roadmap_summary
from .rechecks import step_status_change
from .requests import roadmap_request


def _locked_step_for_user(request: HttpRequest, step_id: int) -> RoadmapStep | None:
    """A step of the requesting learner's own roadmap, with the roadmap row locked so a recompute
    running now finishes first (call inside a transaction); None if it is not theirs or is gone."""
    Roadmap.objects.select_for_update().filter(learner=request.user).first()
    return RoadmapStep.objects.select_related("competency").filter(pk=step_id, roadmap__learner=request.user).first()


def _step_missing(request: HttpRequest) -> HttpResponse:
    """404; a page left open on a step a recompute removed reloads itself to show the roadmap as it is."""
    if request.htmx:
        return HttpResponse("This step is no longer in the roadmap.", status=404, headers={"HX-Refresh": "true"})
    raise Http404("No such step in this roadmap.")


def roadmap_of(learner) -> Roadmap | None:
    """The learner's roadmap row with its target level (from the held content), in one written-out
    statement: every roadmap request reads it, and the ORM took longer to build it than to run it."""
    roadmap = first_row(Roadmap, "SELECT {r.*} FROM roadmap_roadmap r WHERE learner_id = %s", [learner.pk], r=Roadmap)
    if roadmap is None:
        return None
    level = next((level for level in content_load().levels if level.pk == roadmap.target_level_id), None)
    if level is not None:  # else a level added since the content was read: it loads itself
        Roadmap.target_level.field.set_cached_value(roadmap, level)
    return roadmap


class RoadmapParts:
    """What the roadmap's fragments show besides the roadmap row, read only when a fragment is
    rendered and at most once a request (the mentee page's fragments share them)."""

    def __init__(self, roadmap: Roadmap | None, learner) -> None:
        self.roadmap, self.learner = roadmap, learner

    @functools.cached_property
    def threads(self) -> dict[int, list[Comment]]:
        return threads(learner_id=self.learner.pk)

    @functools.cached_property
    def steps(self) -> list[RoadmapStep]:
        if self.roadmap is None:
            return []
        # The list shows each step's head; its details load when opened (step_detail).
        # With the re-check due on each step, if any, in the same statement.
        due = Recheck.objects.filter(step_id=OuterRef("pk"), state=Recheck.State.OPEN).values("pk")[:1]
        return list(self.roadmap.steps.select_related("competency__area", "milestone").annotate(recheck_due=due))


def roadmap_fragment(
    request: HttpRequest, roadmap: Roadmap, learner, *, mentor_view: bool = False, parts: RoadmapParts | None = None
) -> SafeString:
    """The roadmap's steps and progress (``_roadmap.html``), rendered once per version, status,
    revision (a step's status, note or links, a comment), content version, the learner's pace and
    the day (the expected dates), for the learner or a mentor."""
    version = content_version()
    viewer = "mentor" if mentor_view else "learner"
    profile = learner_profile(learner)
    today = timezone.localdate()
    key = version and (
        f"roadmap:{roadmap.pk}:{roadmap.version}:{roadmap.status}:{roadmap.revision}:{version}:{viewer}"
        f":{profile.weekly_hours}:{today.isoformat()}"
    )

    def context() -> dict:
        steps = (parts or RoadmapParts(roadmap, learner)).steps
        extra = {"mentor_view": True, "mentee": learner} if mentor_view else {}
        summary = roadmap_summary(steps, weekly_hours=profile.weekly_hours, today=today)
        return {"roadmap": roadmap, "profile": profile, "learner": learner, "summary": summary, **extra}

    return cached_fragment(request, key, "roadmap/_roadmap.html", context)


@login_required
def roadmap_page(request: HttpRequest) -> HttpResponse:
    roadmap = roadmap_of(request.user)
    context = {"roadmap": roadmap, "profile": learner_profile(request.user)}
    if roadmap is not None:  # rendered (or read from the cache) only if the page shows it
        context["roadmap_html"] = functools.partial(roadmap_fragment, request, roadmap, request.user)
    return render(request, "roadmap/roadmap.html", context)


def roadmap_status(request: HttpRequest, learner, status_url: str, *, mentor_view: bool = False) -> HttpResponse:
    """Polled while a recompute of ``learner``'s roadmap runs; asks the page to reload once the new
    version is ready (the learner's roadmap page and a mentor's mentee page)."""
    roadmap = Roadmap.objects.filter(learner=learner).first()
    if roadmap is None or roadmap.status != Roadmap.Status.COMPUTING:
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    return render(
        request, "roadmap/_computing.html", {"roadmap": roadmap, "status_url": status_url, "mentor_view": mentor_view}
    )


@login_required
def roadmap_status_hx(request: HttpRequest) -> HttpResponse:
    return roadmap_status(request, request.user, reverse("roadmap_status_hx"))


@login_required
@require_POST
def roadmap_recompute(request: HttpRequest) -> HttpResponse:
    roadmap_request(learner_id=request.user.pk, reason="asked by learner", now=timezone.now())
    messages.info(request, "Your roadmap is being updated.")
    return redirect("roadmap")


def _back_to_step(request: HttpRequest, step: RoadmapStep, message: str, *, error: bool = False) -> HttpResponse:
    """Without htmx: say what happened and show the step in the roadmap."""
    (messages.error if error else messages.success)(request, message)
    return redirect(reverse("roadmap") + f"#step-{step.pk}")


def _render_roadmap_hx(request: HttpRequest) -> HttpResponse:
    return HttpResponse(roadmap_fragment(request, roadmap_of(request.user), request.user))


@login_required
@require_POST
def step_status(request: HttpRequest, step_id: int) -> HttpResponse:
    form = StepStatusForm(request.POST)
    with transaction.atomic():
        step = _locked_step_for_user(request, step_id)
        if step is None:
            return _step_missing(request)
        if not form.is_valid():
            message = "Pick one of: to do, doing, done, skipped."
            if request.htmx:
                return HttpResponse(message, status=422, headers={"HX-Reswap": "none"})
            messages.error(request, message)
            return redirect("roadmap")
        step_status_change(step, form.cleaned_data["status"], now=timezone.now())
    if request.htmx:
        return _render_roadmap_hx(request)
    return _back_to_step(request, step, f"{step.competency.name}: {step.get_status_display().lower()}.")


@login_required
@require_POST
def step_note(request: HttpRequest, step_id: int) -> HttpResponse:
    form = StepNoteForm(request.POST)
    with transaction.atomic():
        step = _locked_step_for_user(request, step_id)
        if step is None:
            return _step_missing(request)
        if not form.is_valid():
            error = form.errors["note"][0]
            if request.htmx:
                return render(request, "roadmap/_note_status.html", {"error": error}, status=422)
            messages.error(request, f"Note not saved: {error}")
            return redirect("roadmap")
        step.set_note(form.cleaned_data["note"], shared=form.cleaned_data["note_shared"])
    if request.htmx:
        return render(request, "roadmap/_note_status.html", {"saved_at": timezone.now()})
    return _back_to_step(request, step, f"Note saved for {step.competency.name}.")


@login_required
@require_POST
def step_link_add(request: HttpRequest, step_id: int) -> HttpResponse:
    form = StepLinkForm(request.POST)
    with transaction.atomic():
        step = _locked_step_for_user(request, step_id)
        if step is None:
            return _step_missing(request)
        if form.is_valid() and len(step.links) >= RoadmapStep.MAX_LINKS:
            form.add_error(None, f"A step holds at most {RoadmapStep.MAX_LINKS} links; remove one first.")
        if not form.is_valid():
            error = next(iter(form.errors.values()))[0]
            if request.htmx:
                context = {"step": step, "link_form": form, "link_error": error}
                return render(request, "roadmap/_step_links.html", context, status=422)
            return _back_to_step(request, step, f"Link not added: {error}", error=True)
        step.link_add(url=form.cleaned_data["url"], title=form.cleaned_data["title"])
    if request.htmx:
        return render(request, "roadmap/_step_links.html", {"step": step})
    return _back_to_step(request, step, f"Link added to {step.competency.name}.")


@login_required
@require_POST
def step_link_remove(request: HttpRequest, step_id: int, number: int) -> HttpResponse:
    with transaction.atomic():
        step = _locked_step_for_user(request, step_id)
        if step is None:
            return _step_missing(request)
        step.link_remove(number)  # already gone (a second click): the list as it is
    if request.htmx:
        return render(request, "roadmap/_step_links.html", {"step": step})
    return _back_to_step(request, step, f"Link removed from {step.competency.name}.")


@login_required
def roadmap_map(request: HttpRequest) -> HttpResponse:
    """The roadmap drawn as a map: milestones as lanes, steps as nodes, prerequisites as edges."""
    roadmap = roadmap_of(request.user)
    context = {"roadmap": roadmap, "profile": learner_profile(request.user)}
    if roadmap is not None:
        context["map_html"] = functools.partial(map_fragment, request, roadmap)
    return render(request, "roadmap/map.html", context)


def map_fragment(request: HttpRequest, roadmap: Roadmap) -> SafeString:
    """The map's SVG, laid out once per roadmap version, status, revision and content version."""
    version = content_version()
    key = version and f"roadmap-map:{roadmap.pk}:{roadmap.version}:{roadmap.status}:{roadmap.revision}:{version}"

    def context() -> dict:
        steps = RoadmapParts(roadmap, request.user).steps
        matrix, _ = planner_matrix(content_load())
        return {"roadmap": roadmap, "map": roadmap_layout(steps, matrix=matrix)}

    return cached_fragment(request, key, "roadmap/_map.html", context)


def opened_step(request: HttpRequest, step_id: int, learner, **extra) -> HttpResponse:
    """A step of ``learner``'s roadmap opened, or 404: why, resources (from the content held in
    memory), note, links and, on the competency's first learning step, its comment thread (the
    whole page without JavaScript, the details alone for htmx)."""
    step = RoadmapStep.objects.select_related("competency__area", "milestone").filter(
        pk=step_id, roadmap__learner=learner
    )
    step = step.first()
    if step is None:
        return _step_missing(request)
    resources = content_resources(content_load())
    step.resource_list = [resources[rid] for rid in step.resource_ids if rid in resources]
    step.thread_step_id = thread_step_id(learner_id=learner.pk, competency_id=step.competency_id)
    step.thread = (
        threads(learner_id=learner.pk, competency_id=step.competency_id).get(step.competency_id, [])
        if step.thread_step_id == step.pk
        else None
    )
    context = {"step": step, "learner": learner, **extra}
    return render(request, "roadmap/_step_body.html" if request.htmx else "roadmap/step.html", context)


@login_required
def step_detail(request: HttpRequest, step_id: int) -> HttpResponse:
    return opened_step(request, step_id, request.user)
