"""Email: one message per notification, and the weekly digest of flagged mentees for each mentor."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from assessments.models import Mentorship

from .mentor_dashboard import DashboardQuery, flags_of, mentees
from .models import Notification


def _absolute(url: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def notification_email_send(*, notification_id: int, now: datetime) -> bool:
    """Email one notification once; running twice sends one email."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at or not notification.recipient.email:
            return False
        body = f"{notification.message}\n\n{_absolute(notification.url)}\n\n— CareerPath"
        send_mail(f"CareerPath: {notification.message}", body, None, [notification.recipient.email])
        notification.emailed_at = now
        notification.save(update_fields=["emailed_at"])
    return True


def emails_due_send(*, now: datetime, limit: int = 500) -> int:
    """Email the notifications whose quiet period has passed (see ``notify``); returns how many went."""
    due = Notification.objects.filter(emailed_at__isnull=True, email_after__lte=now).order_by("email_after")
    return sum(notification_email_send(notification_id=pk, now=now) for pk in due.values_list("pk", flat=True)[:limit])


def digest_text(mentor, rows) -> str:
    lines = [f"Hello {mentor.get_username()},", "", "These mentees may need your attention this week:", ""]
    for row in rows:
        lines.append(f"- {row.get_username()}: {', '.join(flags_of(row))}")
    lines += ["", f"Your mentor dashboard: {_absolute('/mentor/?flag=any')}", "", "— CareerPath"]
    return "\n".join(lines)


def mentor_digests_send(*, now: datetime) -> int:
    """Email each mentor with flagged mentees a digest; returns how many emails were sent."""
    mentor_ids = Mentorship.objects.active().values_list("mentor_id", flat=True).distinct()
    # Only current mentors: one removed from the Mentors group (or deactivated) no longer sees
    # mentees, so gets no digest of them either.
    mentors = (
        get_user_model()
        .objects.filter(pk__in=mentor_ids, is_active=True, groups__name=settings.MENTOR_GROUP)
        .exclude(email="")
    )
    sent = 0
    for mentor in mentors.order_by("pk"):
        rows = list(mentees(mentor=mentor, now=now, query=DashboardQuery(sort="name", flag="any")))
        if rows:
            send_mail("CareerPath: your weekly mentee digest", digest_text(mentor, rows), None, [mentor.email])
            sent += 1
    return sent
