"""The mentor workspace, the learner's side of mentorships, comments and notifications."""

from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods, require_POST

from assessments.mentorships import InviteRefused, invite_accept, invite_create, mentorship_end
from assessments.models import Attempt, Competency, MentorInvite, Mentorship
from assessments.ratings import mentor_rating_record
from assessments.results import history_chart_data, radar_chart_data
from assessments.standing import learner_standing
from careerpath.fragments import cached_fragment
from careerpath.roles import is_mentor

from .comments import comment_post, thread_urls, threads
from .forms import CommentForm, InviteCodeForm, MentorRatingForm
from .mentor_dashboard import FLAGS, SORTS, DashboardQuery, flags_of, mentees
from .models import Comment, Notification
from .views import RoadmapParts, opened_step, roadmap_fragment, roadmap_status

PAGE_SIZE = 20
THREAD_HEADINGS = {"h2", "h3", "h4"}


def _require_mentor(request: HttpRequest) -> None:
    if not is_mentor(request.user):
        raise PermissionDenied("Mentor access is granted by an admin.")


def _get_mentee_for_mentor(request: HttpRequest, learner_id: int):
    """A learner the requesting mentor actively mentors, or 404: ended mentorships end access at once."""
    _require_mentor(request)
    mentored = Mentorship.objects.active().filter(mentor_id=request.user.pk, learner_id=OuterRef("pk"))
    last_comment = Comment.objects.filter(learner_id=OuterRef("pk")).order_by("-id").values("id")[:1]
    # One query: access, the learner with their profile, standing and roadmap, and their last
    # comment (a key of the mentee page's cached competencies).
    learners = get_user_model().objects.select_related("profile", "standing", "roadmap__target_level")
    learner = learners.annotate(last_comment_id=Subquery(last_comment)).filter(Exists(mentored), pk=learner_id).first()
    if learner is None:
        raise Http404("Not one of your mentees.")
    return learner


@login_required
def mentor_dashboard(request: HttpRequest) -> HttpResponse:
    _require_mentor(request)
    query = DashboardQuery.from_params(request.GET)
    page = Paginator(mentees(mentor=request.user, now=timezone.now(), query=query), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(row, flags_of(row)) for row in page.object_list]
    invites = request.user.mentor_invites.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())[:5]
    return render(
        request,
        "roadmap/mentor_dashboard.html",
        {"page": page, "rows": rows, "query": query, "flags": FLAGS, "sorts": SORTS, "invites": invites},
    )


@login_required
@require_POST
def invite_new(request: HttpRequest) -> HttpResponse:
    _require_mentor(request)
    invite = invite_create(mentor_id=request.user.pk, now=timezone.now())
    link = request.build_absolute_uri(reverse("invite_accept", args=[invite.code]))
    messages.success(
        request, f"Share this link with your learner: {link} (or the code {invite.code}). It works for 14 days."
    )
    return redirect("mentor_dashboard")


def _mentee_competencies(
    request: HttpRequest, learner, standing, parts: RoadmapParts, rating_form: MentorRatingForm | None, rating_for: str
) -> SafeString:
    """The competencies with their rating forms, cached under the standing's stamp (ratings change
    it), the roadmap's version and revision (comments change it) and the learner's last comment (a
    learner without a roadmap has threads too); a form sent back with its errors is never cached."""
    roadmap = parts.roadmap
    road = f"{roadmap.version}.{roadmap.revision}" if roadmap else "-"
    key = None if rating_form is not None else f"mentee-competencies:{standing.stamp}:{road}:{learner.last_comment_id}"

    def context() -> dict:
        by_competency = parts.threads
        in_roadmap = {step.competency_id for step in parts.steps if not step.finds_out}
        # Competencies without a roadmap step carry their thread in the rating block (a step shows its own).
        areas = [
            (
                area,
                [
                    (row, None if row.competency.pk in in_roadmap else by_competency.get(row.competency.pk, []))
                    for row in area.competencies
                ],
            )
            for area in standing.areas
        ]
        form = rating_form or MentorRatingForm()
        return {"areas": areas, "mentee": learner, "rating_form": form, "rating_for": rating_for}

    return cached_fragment(request, key, "roadmap/_mentee_competencies.html", context)


def _mentee_page(
    request: HttpRequest, learner, *, rating_form: MentorRatingForm | None = None, rating_for: str = "", status=200
) -> HttpResponse:
    standing = learner_standing(user=learner)
    # Read only when the fragments cached under the standing's stamp are missing.
    history = SimpleLazyObject(
        lambda: list(
            Attempt.objects.filter(learner=learner, state=Attempt.State.SUBMITTED)
            .select_related("quiz")
            .order_by("submitted_at", "id")
        )
    )
    roadmap = getattr(learner, "roadmap", None)  # read with the learner (_get_mentee_for_mentor)
    parts = RoadmapParts(roadmap, learner)
    context = {
        "roadmap": roadmap,
        "roadmap_html": functools.partial(roadmap_fragment, request, roadmap, learner, mentor_view=True, parts=parts),
        "competencies_html": _mentee_competencies(request, learner, standing, parts, rating_form, rating_for),
        "mentee": learner,
        "standing": standing,
        "history": history,
        "radar": functools.cache(lambda: radar_chart_data(standing, with_mentor=True)),
        "history_chart": functools.cache(lambda: history_chart_data(history)),
        "mentor_view": True,
    }
    return render(request, "roadmap/mentee.html", context, status=status)


@login_required
def mentee_detail(request: HttpRequest, learner_id: int) -> HttpResponse:
    return _mentee_page(request, _get_mentee_for_mentor(request, learner_id))


@login_required
@require_POST
def mentee_rate(request: HttpRequest, learner_id: int, competency_slug: str) -> HttpResponse:
    learner = _get_mentee_for_mentor(request, learner_id)
    competency = get_object_or_404(Competency, slug=competency_slug)
    form = MentorRatingForm(request.POST)
    if not form.is_valid():
        # The page again, with the mentor's note and link kept and the errors beside the fields.
        return _mentee_page(request, learner, rating_form=form, rating_for=competency.slug, status=400)
    mentor_rating_record(
        mentor=request.user,
        learner_id=learner.pk,
        competency=competency,
        proficiency=form.cleaned_data["proficiency"],
        note=form.cleaned_data["note"],
        evidence_url=form.cleaned_data["evidence_url"],
        now=timezone.now(),
    )
    messages.success(request, f"Rated {competency.name}. {learner.get_username()}'s roadmap is being updated.")
    return redirect(reverse("mentee_detail", args=[learner.pk]) + f"#competency-{competency.slug}")


@login_required
@require_POST
def comment_add(request: HttpRequest, learner_id: int, competency_slug: str) -> HttpResponse:
    """The learner, or one of their active mentors, adds to the thread about a competency."""
    is_learner = request.user.pk == learner_id
    learner = request.user if is_learner else _get_mentee_for_mentor(request, learner_id)
    competency = get_object_or_404(Competency.objects.select_related("area"), slug=competency_slug)
    learner_url, mentor_url = thread_urls(learner_id=learner.pk, competency=competency)
    form = CommentForm(request.POST)
    if form.is_valid():
        comment_post(
            author=request.user,
            learner_id=learner.pk,
            competency=competency,
            body=form.cleaned_data["body"],
            now=timezone.now(),
            url=mentor_url if is_learner else learner_url,
        )
    if request.htmx:
        context = {
            "thread": threads(learner_id=learner.pk).get(competency.pk, []),
            "competency": competency,
            "learner": learner,
            "comment_error": None if form.is_valid() else form.errors["body"][0],
            "comment_body": "" if form.is_valid() else request.POST.get("body", ""),
            # The thread swaps back in at the level its page gave it.
            "thread_heading": request.POST.get("thread_heading")
            if request.POST.get("thread_heading") in THREAD_HEADINGS
            else None,
        }
        return render(request, "roadmap/_thread.html", context, status=200 if form.is_valid() else 422)
    if form.is_valid():
        messages.success(request, "Comment posted.")
    else:
        messages.error(request, f"Comment not posted: {form.errors['body'][0]}")
    return redirect(learner_url if is_learner else mentor_url)


@login_required
@require_http_methods(["GET", "POST"])
def my_mentors(request: HttpRequest) -> HttpResponse:
    form = InviteCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _accept(request, form.cleaned_data["code"])
    mentorships = Mentorship.objects.active().filter(learner=request.user).select_related("mentor")
    return render(
        request,
        "roadmap/my_mentors.html",
        {"mentorships": mentorships, "form": form},
        status=400 if form.errors else 200,
    )


def _accept(request: HttpRequest, code: str) -> HttpResponse:
    try:
        mentorship = invite_accept(code=code, learner_id=request.user.pk, now=timezone.now())
    except InviteRefused as refused:
        messages.error(request, str(refused))
        return redirect("my_mentors")
    messages.success(request, f"{mentorship.mentor.get_username()} is now your mentor.")
    return redirect("my_mentors")


@require_http_methods(["GET", "POST"])
def invite_accept_view(request: HttpRequest, code: str) -> HttpResponse:
    """Who invites, and Accept; someone without an account (or signed out) is offered to sign up
    or log in and comes back here afterwards (``next``, carried through sign-up and onboarding)."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _accept(request, code)
    invite = MentorInvite.objects.select_related("mentor").filter(code=code).first()
    usable = invite is not None and invite.is_usable(timezone.now())
    return render(request, "roadmap/invite.html", {"invite": invite, "usable": usable}, status=200 if usable else 404)


@login_required
@require_http_methods(["GET", "POST"])
def mentorship_end_view(request: HttpRequest, mentorship_id: int) -> HttpResponse:
    """GET asks to confirm (what the mentor loses); POST ends the mentorship."""
    mentorship = get_object_or_404(
        Mentorship.objects.select_related("mentor"), pk=mentorship_id, learner=request.user, active=True
    )
    if request.method == "GET":
        return render(request, "roadmap/mentorship_end.html", {"mentorship": mentorship})
    mentorship_end(mentorship=mentorship, now=timezone.now())
    messages.success(
        request, f"{mentorship.mentor.get_username()} no longer mentors you and can no longer see your progress."
    )
    return redirect("my_mentors")


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.filter(recipient=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "roadmap/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(recipient=request.user).unread().update(read_at=timezone.now())
    return redirect("notifications")


@login_required
def mentee_step_detail(request: HttpRequest, learner_id: int, step_id: int) -> HttpResponse:
    """A mentee's roadmap step opened: why, resources, the shared note and links, the thread."""
    learner = _get_mentee_for_mentor(request, learner_id)
    return opened_step(request, step_id, learner, mentee=learner, mentor_view=True)


@login_required
def mentee_roadmap_status_hx(request: HttpRequest, learner_id: int) -> HttpResponse:
    """The mentee page polls this while the mentee's roadmap is recomputed (after a rating, say)."""
    learner = _get_mentee_for_mentor(request, learner_id)
    return roadmap_status(request, learner, reverse("mentee_roadmap_status", args=[learner.pk]), mentor_view=True)
