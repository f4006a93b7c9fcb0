"""Account emails (password reset, sign-up notices), sent by a worker rather than inside a request,
and the nightly removal of expired sessions."""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

log = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(SMTPException, OSError), retry_backoff=5, max_retries=5)
def send_email(subject: str, body: str, to: str) -> None:
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to])


def email_queue(*, subject: str, body: str, to: str) -> None:
    """Queue the email; if the broker cannot take it, send it now rather than lose it."""
    try:
        send_email.delay(subject, body, to)
    except Exception:
        log.warning("Could not queue an email to the worker; sending it from the request", exc_info=True)
        send_email.run(subject, body, to)


@shared_task
def clear_expired_sessions() -> None:
    """Expired sessions go (Django's ``clearsessions``), so the table the layout reads every request stays small."""
    from .sessions import SessionStore

    SessionStore.clear_expired()
