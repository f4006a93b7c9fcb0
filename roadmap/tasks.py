import logging

from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from .compute import roadmap_fail, roadmap_recompute, roadmaps_recompute
from .digest import emails_due_send, mentor_digests_send, notification_email_send
from .models import RoadmapRequest
from .rechecks import rechecks_due_remind
from .requests import CHUNK, pending_learner_ids, send_safely

# Infrastructure that comes back by itself (the database, the cache): retried with backoff and left
# to the sweep after that; only a real bug marks a roadmap failed.
TRANSIENT = (DatabaseError, RedisConnectionError, RedisTimeoutError)
log = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=5,
)
def recompute_roadmap(learner_id: int) -> str:
    # A burst (ten quick ratings) sends ten jobs; the first to run reads all the evidence committed
    # so far and closes every request up to its start, so the jobs behind it find nothing to do.
    if not RoadmapRequest.objects.pending().filter(learner_id=learner_id).exists():
        return "handled"
    return _recompute_one(learner_id)


def _recompute_one(learner_id: int) -> str:
    try:
        return roadmap_recompute(learner_id=learner_id, now=timezone.now())
    except TRANSIENT:
        raise  # retried with backoff; the pending request keeps it for the sweep after that
    except Exception as exc:
        roadmap_fail(learner_id=learner_id, error=f"{type(exc).__name__}: {exc}", now=timezone.now())
        raise


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT, retry_backoff=2, max_retries=5)
def recompute_roadmaps_chunk(learner_ids: list[int]) -> int:
    """A chunk at once (content read once, reads and writes batched); if one learner's plan hits a
    bug, the chunk is redone learner by learner so only that roadmap is marked failed."""
    try:
        # Chunks come from content changes and the sweep: evidence changes refreshed their standings
        # when they happened, so only a standing measured with other content is estimated again.
        roadmaps_recompute(learner_ids=learner_ids, now=timezone.now(), reestimate=False)
    except TRANSIENT:
        raise
    except Exception:
        log.exception("Recomputing a chunk failed; recomputing its %d learners one by one", len(learner_ids))
        for learner_id in learner_ids:
            try:
                _recompute_one(learner_id)
            except TRANSIENT:
                raise
            except Exception:  # recorded on that learner's roadmap by _recompute_one
                log.warning("Roadmap of learner %s failed", learner_id)
    return len(learner_ids)


@shared_task
def sweep_roadmap_requests() -> int:
    """Re-send recomputes still pending (broker was down, or a worker died), in chunks."""
    ids = pending_learner_ids(now=timezone.now())
    for start in range(0, len(ids), CHUNK):
        send_safely(recompute_roadmaps_chunk.delay, ids[start : start + CHUNK])
    return len(ids)


@shared_task(acks_late=True, autoretry_for=(DatabaseError, OSError), retry_backoff=5, max_retries=5)
def email_notification(notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id, now=timezone.now())


@shared_task(autoretry_for=(DatabaseError, OSError), retry_backoff=5, max_retries=5)
def email_due_notifications() -> int:
    return emails_due_send(now=timezone.now())


@shared_task
def send_mentor_digests() -> int:
    return mentor_digests_send(now=timezone.now())


@shared_task(autoretry_for=TRANSIENT, retry_backoff=5, retry_backoff_max=60, max_retries=5)
def remind_due_rechecks() -> int:
    """Daily: open the re-checks that fell due and remind each learner once (see rechecks.py).
    A retry after a transient error finds the ones already opened no longer due."""
    return rechecks_due_remind(now=timezone.now())
