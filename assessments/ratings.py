"""Recording ratings. Every rating is kept as history, refreshes the stored standing and asks for a roadmap recompute."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from roadmap.requests import roadmap_request

from .activity import activity_record
from .models import Competency, MentorRating, SelfRating
from .standing import standing_refresh


@transaction.atomic
def self_rating_record(*, learner_id: int, competency: Competency, proficiency: int, now: datetime) -> SelfRating:
    rating = SelfRating.objects.create(
        learner_id=learner_id, competency=competency, proficiency=proficiency, rated_at=now
    )
    standing_refresh(learner_id=learner_id, now=now)
    activity_record(learner_id=learner_id, now=now)
    roadmap_request(learner_id=learner_id, reason="self-rating", now=now)
    return rating


@transaction.atomic
def mentor_rating_record(
    *, mentor, learner_id: int, competency: Competency, proficiency: int, note: str, evidence_url: str, now: datetime
) -> MentorRating:
    from roadmap.notifications import notify

    rating = MentorRating.objects.create(
        mentor=mentor,
        learner_id=learner_id,
        competency=competency,
        proficiency=proficiency,
        note=note,
        evidence_url=evidence_url,
        rated_at=now,
    )
    standing_refresh(learner_id=learner_id, now=now)
    roadmap_request(learner_id=learner_id, reason="mentor rating", now=now)
    notify(
        recipient_id=learner_id,
        message=f"{mentor.get_username()} rated your {competency.name}: {rating.get_proficiency_display()} ({proficiency}).",
        url="/results/#mentor-ratings",
        now=now,
    )
    return rating
