"""In-app notifications, each also sent by email through Celery after the transaction commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from .models import Notification

# How long a notification that a burst keeps updating waits, after the last update, for its email.
EMAIL_QUIET = timedelta(seconds=60)


def notify(
    *, recipient_id: int, message: str, url: str, now: datetime, supersede: bool = False, email: bool = True
) -> Notification:
    """Notify in-app and (unless ``email`` is off) by email.

    Without ``supersede`` the email goes at once, through Celery after the transaction commits. With
    it, the notification says how something stands now ("your roadmap is ready"): an unread one to
    the same page whose email has not gone is brought up to date instead of a new one, and its email
    waits until EMAIL_QUIET has passed since the last update (sent by ``emails_due_send``). Ten
    ratings in a row make one notification and one email, and a learner who reads only email still
    hears of a later change."""
    from .requests import send_safely
    from .tasks import email_notification

    email_after = now + EMAIL_QUIET if supersede and email else None
    if supersede:
        unread = (
            Notification.objects.unread()
            .filter(recipient_id=recipient_id, url=url, emailed_at__isnull=True)
            .order_by("-id")
            .first()
        )
        if unread is not None:
            unread.message, unread.created_at, unread.email_after = message, now, email_after
            unread.save(update_fields=["message", "created_at", "email_after"])
            return unread
    notification = Notification.objects.create(
        recipient_id=recipient_id, message=message, url=url, created_at=now, email_after=email_after
    )
    if email and not supersede:
        transaction.on_commit(lambda: send_safely(email_notification.delay, notification.pk))
    return notification
