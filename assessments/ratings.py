"""Recording ratings. Every rating is kept as history and asks for a roadmap recompute."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from roadmap.requests import roadmap_request

from .models import Competency, SelfRating


@transaction.atomic
def self_rating_record(*, learner_id: int, competency: Competency, proficiency: int, now: datetime) -> SelfRating:
    rating = SelfRating.objects.create(
        learner_id=learner_id, competency=competency, proficiency=proficiency, rated_at=now
    )
    roadmap_request(learner_id=learner_id, reason="self-rating", now=now)
    return rating
