"""In-app notifications, each also sent by email through Celery after the transaction commits."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from .models import Notification


def notify(*, recipient_id: int, message: str, url: str, now: datetime, supersede: bool = False) -> Notification:
    """Notify in-app and by email. With ``supersede``, an unread notification to the same page whose
    email has not gone yet is brought up to date instead: ten ratings in a row make one "roadmap ready"
    email, while a learner who reads only email still hears of a later version."""
    from .requests import send_safely
    from .tasks import email_notification

    if supersede:
        unread = (
            Notification.objects.unread()
            .filter(recipient_id=recipient_id, url=url, emailed_at__isnull=True)
            .order_by("-id")
            .first()
        )
        if unread is not None:
            unread.message, unread.created_at = message, now
            unread.save(update_fields=["message", "created_at"])
            return unread
    notification = Notification.objects.create(recipient_id=recipient_id, message=message, url=url, created_at=now)
    transaction.on_commit(lambda: send_safely(email_notification.delay, notification.pk))
    return notification
