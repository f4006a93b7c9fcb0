"""Receivers for account events."""

from django.contrib import messages
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver


@receiver(user_logged_out)
def logged_out_said(sender, request, user, **kwargs) -> None:
    """The page after logging out says so (the messages live in a cookie, so the flushed session does not lose it)."""
    if request is not None:
        messages.info(request, "You are logged out.", fail_silently=True)  # a test client has no messages
