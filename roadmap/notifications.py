"""In-app notifications, each also sent by email through Celery after the transaction commits."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from .models import Notification


def notify(*, recipient_id: int, message: str, url: str, now: datetime) -> Notification:
    from .requests import send_safely
    from .tasks import email_notification

    notification = Notification.objects.create(recipient_id=recipient_id, message=message, url=url, created_at=now)
    transaction.on_commit(lambda: send_safely(email_notification.delay, notification.pk))
    return notification
