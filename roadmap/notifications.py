"""In-app notifications, each also sent by email through Celery after the transaction commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction

from careerpath.bulk import update_rows

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

    if supersede:
        return notify_superseding(recipients={recipient_id: email}, message=message, url=url, now=now)[recipient_id]
    notification = Notification.objects.create(recipient_id=recipient_id, message=message, url=url, created_at=now)
    if email:
        transaction.on_commit(lambda: send_safely(email_notification.delay, notification.pk))
    return notification


def notify_superseding(
    *, recipients: dict[int, bool], message: str, url: str, now: datetime
) -> dict[int, Notification]:
    """``notify(..., supersede=True)`` for many recipients (recipient id -> email on), in three
    statements: each one's unread notification to ``url`` whose email has not gone is brought up to
    date, the others get a new one."""
    if not recipients:
        return {}
    unread: dict[int, Notification] = {}
    for notification in (
        Notification.objects.unread()
        .filter(recipient_id__in=list(recipients), url=url, emailed_at__isnull=True)
        .order_by("recipient_id", "-id")
    ):
        unread.setdefault(notification.recipient_id, notification)
    for recipient_id, notification in unread.items():
        notification.message, notification.created_at = message, now
        notification.email_after = now + EMAIL_QUIET if recipients[recipient_id] else None
    fields = ["message", "created_at", "email_after"]
    update_rows(Notification, fields, [[getattr(n, f) for f in fields] + [n.pk] for n in unread.values()])
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                message=message,
                url=url,
                created_at=now,
                email_after=now + EMAIL_QUIET if email else None,
            )
            for recipient_id, email in recipients.items()
            if recipient_id not in unread
        ]
    )
    return {**unread, **{notification.recipient_id: notification for notification in created}}
