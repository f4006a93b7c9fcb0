from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .roles import is_mentor
from .zones import time_zone_of


def roles(request: HttpRequest) -> dict:
    """Role flags for navigation, evaluated only if a template asks."""
    return {
        "user_is_mentor": SimpleLazyObject(lambda: is_mentor(request.user)),
        "unread_notifications": SimpleLazyObject(lambda: _unread(request.user)),
        "MENTOR_GROUP": settings.MENTOR_GROUP,
    }


def _unread(user) -> int:
    if not user.is_authenticated:
        return 0
    if hasattr(user, "_unread_notifications"):  # loaded with the user (careerpath/auth.py)
        return user._unread_notifications
    from roadmap.models import Notification

    return Notification.objects.filter(recipient=user).unread().count()


def time_zone(request: HttpRequest) -> dict:
    """Whether the page asks the browser for the learner's zone (base.html, static/js/app.js): only
    while their profile has none, read with the user (no query)."""
    return {"time_zone_unknown": time_zone_of(getattr(request, "user", None)) == ""}
