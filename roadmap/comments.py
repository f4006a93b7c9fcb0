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


def threads(*, learner_id: int) -> dict[int, list[Comment]]:
    """competency id -> the learner's comment thread, in one query."""
    by_competency: dict[int, list[Comment]] = defaultdict(list)
    for comment in Comment.objects.filter(learner_id=learner_id).select_related("author").order_by("created_at", "id"):
        by_competency[comment.competency_id].append(comment)
    return by_competency


def learner_thread_url(*, learner_id: int, competency: Competency) -> str:
    """Where the learner finds the thread: on the roadmap step, or else on the area's self-assessment."""
    if RoadmapStep.objects.filter(roadmap__learner_id=learner_id, competency=competency).exists():
        return reverse("roadmap") + f"#thread-{competency.slug}"
    return reverse("self_assessment_area", args=[competency.area.slug]) + f"#thread-{competency.slug}"
