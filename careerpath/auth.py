"""Loading the signed-in user once per request, with what every page needs."""

from __future__ import annotations

from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser

from .sql import first_row

# One statement, written out: the ORM's version of it (annotations and a reverse one-to-one join)
# cost 2.4 ms a request to compile, against 0.4 ms for this (scripts/bench.py's learner, PostgreSQL).
# A request reads it with its session (careerpath/sessions.py); this is for the other callers.
LAYOUT_SELECT = """{u.*},
       EXISTS (SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
               WHERE ug.user_id = u.id AND g.name = %s) AS _is_mentor,
       (SELECT count(*) FROM roadmap_notification n
        WHERE n.recipient_id = u.id AND n.read_at IS NULL) AS _unread_notifications,
       {profile_columns}"""
PROFILE_JOIN = "LEFT JOIN assessments_learnerprofile p ON p.user_id = u.id"
PROFILE_FIELDS = (
    "id", "user_id", "current_role", "years_experience", "current_level_id", "target_level_id", "roadmap_emails",
    "stack", "weekly_hours", "time_zone",
)  # fmt: skip
LAYOUT_SELECT = LAYOUT_SELECT.replace(
    "{profile_columns}", ", ".join(f"p.{name} AS _profile_{name}" for name in PROFILE_FIELDS if name != "user_id")
)
USER_WITH_LAYOUT = "SELECT " + LAYOUT_SELECT + " FROM auth_user u " + PROFILE_JOIN + " WHERE u.id = %s"  # noqa: S608 - constants

# The user read with this request's session, waiting for ``LayoutUserBackend.get_user`` (Django
# asks for the user right after reading the session): (user id, user), or None.
session_user: ContextVar[tuple[int, AbstractBaseUser] | None] = ContextVar("session_user", default=None)


def layout_user(user):
    """A user row of ``LAYOUT_SELECT`` with its mentor flag, unread count and profile in place."""
    from assessments.models import LearnerProfile

    user._is_mentor = bool(user._is_mentor)  # SQLite answers 0 or 1
    if user._profile_id is not None:
        values = [getattr(user, f"_profile_{name}") for name in PROFILE_FIELDS if name != "user_id"]
        values.insert(1, user.pk)
        profile = LearnerProfile.from_db("default", list(PROFILE_FIELDS), values)
        get_user_model().profile.related.set_cached_value(user, profile)
    return user


class LayoutUserBackend(ModelBackend):
    """Django's model backend, whose ``get_user`` also reads whether the user is a mentor, how many
    notifications are unread and the learner profile, in the same query: the navigation needs the
    first two on every page (careerpath/context_processors.py), the standing pages the profile
    (assessments/standing.py::learner_profile), every page its time zone (careerpath/middleware.py::
    time_zone_per_request), and each cost a round trip per request otherwise."""

    def get_user(self, user_id):
        read, session_user_row = session_user.get(), None
        if read is not None and read[0] == user_id:
            session_user.set(None)  # once: a later call reads the user anew
            session_user_row = read[1]
        if session_user_row is None:
            user = first_row(get_user_model(), USER_WITH_LAYOUT, [settings.MENTOR_GROUP, user_id], u=get_user_model())
            session_user_row = layout_user(user) if user is not None else None
        if session_user_row is None or not self.user_can_authenticate(session_user_row):
            return None
        return session_user_row
