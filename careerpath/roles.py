"""Who is who: learners are everyone signed up, mentors a group an admin grants, admins are staff."""

from django.conf import settings


def is_mentor(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_is_mentor", None)
    if cached is None:
        cached = user.groups.filter(name=settings.MENTOR_GROUP).exists()
        user._is_mentor = cached
    return cached
