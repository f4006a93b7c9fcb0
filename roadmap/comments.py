"""Threads between a learner and their mentors, one per competency (so per roadmap step)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.urls import reverse

from assessments.models import Competency, Mentorship

from .models import Comment, Roadmap, RoadmapStep
from .notifications import notify


@transaction.atomic
def comment_post(*, author, learner_id: int, competency: Competency, body: str, now: datetime, url: str) -> Comment:
    """Save a comment and notify the other side: the learner, or each of the learner's active mentors."""
    comment = Comment.objects.create(
        learner_id=learner_id, competency=competency, author=author, body=body, created_at=now
    )
    Roadmap.objects.filter(learner_id=learner_id).revise()  # the roadmap page shows threads
    if author.pk == learner_id:
        recipients = list(Mentorship.objects.active().filter(learner_id=learner_id).values_list("mentor_id", flat=True))
        message = f"{author.get_username()} commented on {competency.name}."
    else:
        recipients = [learner_id]
        message = f"{author.get_username()} commented on your {competency.name}."
    for recipient_id in recipients:
        notify(recipient_id=recipient_id, message=message, url=url, now=now)
    return comment


def threads(*, learner_id: int, competency_id: int | None = None) -> dict[int, list[Comment]]:
    """competency id -> the learner's comment thread (all, or one competency's), in one query."""
    by_competency: dict[int, list[Comment]] = defaultdict(list)
    comments = Comment.objects.filter(learner_id=learner_id)
    if competency_id is not None:
        comments = comments.filter(competency_id=competency_id)
    for comment in comments.select_related("author").order_by("created_at", "id"):
        by_competency[comment.competency_id].append(comment)
    return by_competency


def thread_step_id(*, learner_id: int, competency_id: int) -> int | None:
    """The learner's first learning step of the competency: its thread is shown there (a competency
    with a step in several milestones has one thread; a "find out" step shows none)."""
    return (
        RoadmapStep.objects.filter(roadmap__learner_id=learner_id, competency_id=competency_id, kind="learn")
        .order_by("position")
        .values_list("pk", flat=True)
        .first()
    )


def thread_urls(*, learner_id: int, competency: Competency) -> tuple[str, str]:
    """Where the learner and where their mentors find the thread: on the roadmap step that holds it,
    or else on the area's self-assessment and the mentee page."""
    anchor = f"#thread-{competency.slug}"
    step_id = thread_step_id(learner_id=learner_id, competency_id=competency.pk)
    if step_id is not None:
        return (
            reverse("step_detail", args=[step_id]) + anchor,
            reverse("mentee_step_detail", args=[learner_id, step_id]) + anchor,
        )
    return (
        reverse("self_assessment_area", args=[competency.area.slug]) + anchor,
        reverse("mentee_detail", args=[learner_id]) + anchor,
    )
