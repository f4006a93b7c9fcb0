from celery import shared_task
from django.utils import timezone

from .attempts import expired_attempts_close
from .calibration_jobs import questions_recalibrate
from .placement_tests import expired_placements_close


@shared_task
def close_expired_attempts() -> int:
    now = timezone.now()
    return expired_attempts_close(now=now) + expired_placements_close(now=now)


@shared_task
def recalibrate_items() -> int:
    """Daily: item analysis and item parameters from every answer so far (idempotent)."""
    return questions_recalibrate(now=timezone.now())
