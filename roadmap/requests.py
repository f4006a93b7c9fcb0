"""Asking for a roadmap recompute so that no request is lost.

The request is written to the database first, in the caller's transaction; the job is sent to the
broker only after commit. If the broker is down the request stays pending and the periodic sweep
(``roadmap.tasks.sweep_roadmap_requests``) sends it again; the job marks it done.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from assessments.models import LearnerProfile, LearnerStanding

from .models import Roadmap, RoadmapRequest

log = logging.getLogger(__name__)
SWEEP_GRACE = timedelta(seconds=30)  # give the normal path time before the sweep re-sends
CHUNK = 100


def send_safely(send, *args) -> None:
    try:
        send(*args)
    except Exception:  # the broker may be down: the pending request row is the source of truth
        log.warning(
            "Could not send %s%r; the sweep will retry it", getattr(send, "__name__", send), args, exc_info=True
        )


def _mark_computing(learner_ids: Iterable[int]) -> None:
    ids = list(learner_ids)
    existing = set(Roadmap.objects.filter(learner_id__in=ids).values_list("learner_id", flat=True))
    try:
        with transaction.atomic():
            Roadmap.objects.bulk_create([Roadmap(learner_id=i) for i in ids if i not in existing])
    except IntegrityError:
        pass  # created concurrently; the update below covers it
    Roadmap.objects.filter(learner_id__in=ids).update(status=Roadmap.Status.COMPUTING)


def roadmap_request(*, learner_id: int, reason: str, now: datetime) -> None:
    from .tasks import recompute_roadmap

    with transaction.atomic():
        RoadmapRequest.objects.create(learner_id=learner_id, reason=reason, requested_at=now)
        _mark_computing([learner_id])
        transaction.on_commit(lambda: send_safely(recompute_roadmap.delay, learner_id))


def roadmaps_request_all(*, reason: str, now: datetime) -> int:
    """Recompute every learner with a target or a stored standing, in chunks (after a content change,
    a recalibration or on demand): the recompute refreshes the standing too, so a learner without a
    target still sees their level measured with the new content and item parameters."""
    from .tasks import recompute_roadmaps_chunk

    learner_ids = sorted(
        set(LearnerProfile.objects.filter(target_level__isnull=False).values_list("user_id", flat=True))
        | set(LearnerStanding.objects.values_list("learner_id", flat=True))
    )
    for start in range(0, len(learner_ids), CHUNK):
        chunk = learner_ids[start : start + CHUNK]
        with transaction.atomic():
            RoadmapRequest.objects.bulk_create(
                [RoadmapRequest(learner_id=i, reason=reason, requested_at=now) for i in chunk]
            )
            _mark_computing(chunk)
            transaction.on_commit(lambda ids=chunk: send_safely(recompute_roadmaps_chunk.delay, ids))
    return len(learner_ids)


def pending_learner_ids(*, now: datetime) -> list[int]:
    return list(
        RoadmapRequest.objects.pending()
        .filter(requested_at__lte=now - SWEEP_GRACE)
        .values_list("learner_id", flat=True)
        .distinct()
        .order_by("learner_id")
    )
