from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from careerpath.fragments import cached_fragment
from careerpath.next_page import next_page
from careerpath.token_views import tokens_context
from careerpath.zones import time_zone_names
from roadmap.comments import threads
from roadmap.models import Comment, Recheck, Roadmap
from roadmap.requests import roadmap_request

from .activity import learner_activity
from .content import content_load, matrix_load, published_quizzes
from .export import LearnerExport, export_csv_zip, export_filename, export_json, learner_export
from .forms import ProfileForm, SelfRatingForm
from .models import (
    PROFICIENCY_DESCRIPTORS,
    Attempt,
    Competency,
    CompetencyArea,
    LearnerProfile,
    MentorRating,
    Mentorship,
    Proficiency,
    ProfileCard,
    SelfRating,
)
from .profile_card import card_new_link, card_share, shared_card, top_skills
from .ratings import self_rating_record
from .results import history_chart_data, radar_chart_data, results_summary
from .standing import Standing, learner_standing

SCALE = [(p.value, p.label, PROFICIENCY_DESCRIPTORS[p.value]) for p in Proficiency]


def _unrated_areas(standing: Standing) -> list[dict[str, str]]:
    """Areas with a competency not self-rated yet, kept under the standing's stamp (ratings change it)."""
    return cache.get_or_set(
        f"unrated-areas:{standing.stamp}",
        lambda: [{"slug": a.area.slug, "name": a.area.name} for a in standing.areas if a.rated < len(a.competencies)],
        timeout=3600,
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    standing = learner_standing(user=request.user)
    activity = learner_activity(learner_id=request.user.pk)
    return render(
        request,
        "assessments/dashboard.html",
        {
            "standing": standing,
            "profile": standing.profile,
            "unrated_areas": _unrated_areas(standing),
            "untaken_quizzes": [q for q in published_quizzes() if q.pk not in activity.taken_quiz_ids],
            "open_attempts": activity.open_attempts,
            "due_rechecks": Recheck.objects.filter(learner=request.user, state=Recheck.State.OPEN).select_related(
                "competency"
            ),
            "recent_ratings": activity.recent_ratings,
            "recent_attempts": activity.recent_attempts,
        },
    )


def matrix(request: HttpRequest) -> HttpResponse:
    levels, areas = matrix_load()
    return render(request, "assessments/matrix.html", {"levels": levels, "areas": areas, "scale": SCALE})


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile, _ = LearnerProfile.objects.get_or_create(user=request.user)
    onboarding = request.resolver_match.url_name == "onboarding"
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        replan = [name for name in ("target_level", "stack") if name in form.changed_data]
        # One transaction: a new target or stack is never saved without its recompute request.
        with transaction.atomic():
            form.save()
            if replan:
                reason = " and ".join(name.replace("_level", "") for name in replan) + " changed"
                roadmap_request(learner_id=request.user.pk, reason=reason, now=timezone.now())
        messages.success(request, "Saved. Your target level is " + str(form.instance.target_level) + ".")
        if onboarding and (after := next_page(request)):  # e.g. the invite that brought them here
            return redirect(after)
        return redirect("self_assessment" if onboarding else "dashboard")
    context = {"form": form, "onboarding": onboarding, "next": next_page(request) if onboarding else ""}
    context["card"] = None if onboarding else ProfileCard.objects.filter(learner=request.user).first()
    if not onboarding:
        context.update(tokens_context(request.user))
    return render(request, "assessments/profile.html", context, status=400 if form.errors else 200)


@require_POST
@login_required
def time_zone_detect(request: HttpRequest) -> HttpResponse:
    """The browser's zone for a learner whose zone is not known yet (app.js sends it once, when the
    page asks: base.html). A zone already there, chosen or detected before, is never replaced."""
    name = request.POST.get("time_zone", "")
    if name not in time_zone_names():
        return HttpResponseBadRequest("Not a time zone we know.", content_type="text/plain")
    LearnerProfile.objects.filter(user=request.user, time_zone="").update(time_zone=name)
    return HttpResponse(status=204)


@login_required
def self_assessment(request: HttpRequest) -> HttpResponse:
    areas = CompetencyArea.objects.annotate(
        total=Count("competencies", distinct=True),
    ).order_by("order", "name")
    rated = dict(
        SelfRating.objects.filter(learner=request.user)
        .values("competency__area")
        .annotate(n=Count("competency", distinct=True))
        .values_list("competency__area", "n")
    )
    rows = [(area, rated.get(area.pk, 0)) for area in areas]
    return render(request, "assessments/self_assessment.html", {"rows": rows})


@login_required
def self_assessment_area(request: HttpRequest, area_slug: str) -> HttpResponse:
    area = _area_of(area_slug)
    fresh = area is None  # an area added since this process read the content: read it again
    if fresh and (area := _area_of(area_slug, fresh=True)) is None:
        raise Http404("No such area.")
    standing = learner_standing(user=request.user, fresh_content=fresh)
    learner = request.user
    # One query for what the cached fragment's key needs besides the standing: whether the learner
    # has mentors to talk to (a thread on every competency), their last comment (threads change) and
    # the roadmap's revision (a thread's author became "a deleted user": careerpath/account_deletion.py).
    talk = (
        get_user_model()
        .objects.filter(pk=learner.pk)
        .annotate(
            has_mentors=Exists(Mentorship.objects.active().filter(learner_id=OuterRef("pk"))),
            last_comment_id=Subquery(
                Comment.objects.filter(learner_id=OuterRef("pk")).order_by("-id").values("id")[:1]
            ),
            revision=Subquery(Roadmap.objects.filter(learner_id=OuterRef("pk")).values("revision")[:1]),
        )
        .values("has_mentors", "last_comment_id", "revision")
        .first()
    )
    key = f"self-area:{area.pk}:{standing.stamp}:{talk['has_mentors']}:{talk['last_comment_id']}:{talk['revision']}"

    def context() -> dict:
        # The thread with mentors about each competency, when there are mentors to talk to or comments to read.
        by_competency = threads(learner_id=learner.pk)
        rows = [
            (
                row,
                by_competency.get(row.competency.pk, [])
                if talk["has_mentors"] or row.competency.pk in by_competency
                else None,
            )
            for row in standing.area(area.pk).competencies  # the area's estimates: read only here
        ]
        return {
            "rows": rows,
            "standing": standing,
            "current_index": _level_index(standing, standing.profile.current_level_id),
            "scale": SCALE,
            "learner": learner,
        }

    next_area = next((a for a in content_load().areas if a.order > area.order), None)
    return render(
        request,
        "assessments/self_assessment_area.html",
        {
            "area": area,
            "standing": standing,
            "next_area": next_area,
            "competencies_html": cached_fragment(request, key, "assessments/_area_competencies.html", context),
        },
    )


def _area_of(area_slug: str, *, fresh: bool = False):
    """The area of the held content (``fresh``: read again) with that slug, or None."""
    return next((a for a in content_load(fresh=fresh).areas if a.slug == area_slug), None)


def _level_index(standing, level_id: int | None) -> int | None:
    for index, level in enumerate(standing.levels):
        if level.pk == level_id:
            return index
    return None


@login_required
@require_POST
def rate(request: HttpRequest, competency_slug: str) -> HttpResponse:
    competency = get_object_or_404(Competency.objects.select_related("area"), slug=competency_slug)
    form = SelfRatingForm(request.POST)
    back = reverse("self_assessment_area", args=[competency.area.slug]) + f"#competency-{competency.slug}"
    if not form.is_valid():
        message = form.errors["proficiency"][0]
        if request.htmx:
            return render(
                request, "assessments/_rating_status.html", {"competency": competency, "error": message}, status=422
            )
        messages.error(request, f"{competency.name}: {message}")
        return redirect(back)
    rating = self_rating_record(
        learner_id=request.user.pk,
        competency=competency,
        proficiency=form.cleaned_data["proficiency"],
        now=timezone.now(),
    )
    if request.htmx:
        return render(request, "assessments/_rating_status.html", {"competency": competency, "rating": rating})
    messages.success(
        request, f"Saved: {competency.name} rated {rating.get_proficiency_display()} ({rating.proficiency})."
    )
    return redirect(back)


@login_required
def results(request: HttpRequest) -> HttpResponse:
    standing = learner_standing(user=request.user)
    # Read only when the page's cached fragments (under standing.stamp) are missing.
    history = SimpleLazyObject(
        lambda: list(
            Attempt.objects.filter(learner=request.user, state=Attempt.State.SUBMITTED)
            .select_related("quiz")
            .order_by("submitted_at", "id")
        )
    )
    return render(
        request,
        "assessments/results.html",
        {
            "standing": standing,
            "history": history,
            "radar": functools.cache(lambda: radar_chart_data(standing)),  # templates call it; computed once
            "summary": functools.cache(lambda: results_summary(standing)),
            "mentor_ratings": Paginator(
                MentorRating.objects.filter(learner=request.user)
                .select_related("mentor", "competency")
                .order_by("-rated_at", "-id"),
                20,
            ).get_page(request.GET.get("page")),
            "history_chart": functools.cache(lambda: history_chart_data(history)),
        },
    )


def profile_card(request: HttpRequest, code: str) -> HttpResponse:
    """A learner's shared card, for anyone with its link; read-only, never indexed."""
    card = shared_card(code)
    if card is None:
        raise Http404("No shared card at this link.")
    standing = learner_standing(user=card.learner)
    response = render(
        request,
        "assessments/card.html",
        {
            "owner": card.learner,
            "standing": standing,
            "radar": functools.cache(lambda: radar_chart_data(standing)),
            "skills": functools.cache(lambda: top_skills(standing)),
            "own_card": request.user.pk == card.learner_id,
        },
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the link is the permission: never pass it on
    return response


@login_required
@require_POST
def profile_card_settings(request: HttpRequest) -> HttpResponse:
    """Share the card, stop sharing it, or give it a new link (the old one stops working)."""
    now, action = timezone.now(), request.POST.get("action")
    if action in ("share", "stop"):
        card = card_share(learner_id=request.user.pk, shared=action == "share", now=now)
        message = "Your card is now shared." if card.shared else "Your card is now private: its link no longer works."
    elif action == "new-link":
        card = card_new_link(learner_id=request.user.pk, now=now)
        message = "Your card has a new link; the old one no longer works."
    else:
        card, message = ProfileCard.objects.filter(learner=request.user).first(), None
    context = {"card": card, "card_message": message, "card_error": None if message else "Choose what to do."}
    if request.htmx:
        return render(request, "assessments/_card_settings.html", context, status=200 if message else 400)
    if message:
        messages.success(request, message)
    else:
        messages.error(request, "Choose what to do with your card.")
    return redirect(reverse("profile") + "#card")


def _export_download(export: LearnerExport, *, content: bytes, extension: str, content_type: str) -> HttpResponse:
    """A file to save, never kept by a cache (it is everything about the learner), named with the day."""
    response = HttpResponse(content, content_type=content_type)
    filename = export_filename(export, day=timezone.localdate(), extension=extension)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_json_download(request: HttpRequest) -> HttpResponse:
    export = learner_export(user=request.user, now=timezone.now())
    return _export_download(export, content=export_json(export), extension="json", content_type="application/json")


@login_required
@require_GET
def export_csv_download(request: HttpRequest) -> HttpResponse:
    export = learner_export(user=request.user, now=timezone.now())
    return _export_download(export, content=export_csv_zip(export), extension="zip", content_type="application/zip")
