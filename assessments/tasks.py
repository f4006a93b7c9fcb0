from celery import shared_task
from django.utils import timezone

from .attempts import expired_attempts_close


@shared_task
def close_expired_attempts() -> int:
    return expired_attempts_close(now=timezone.now())
