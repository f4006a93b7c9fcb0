"""Loading the signed-in user once per request, with what every page needs."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .sql import written_out

# One statement, written out: the ORM's version of it (annotations and a reverse one-to-one join)
# cost 2.4 ms a request to compile, against 0.4 ms for this (scripts/bench.py's learner, PostgreSQL).
USER_WITH_LAYOUT = """
SELECT {u.*},
       EXISTS (SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
               WHERE ug.user_id = u.id AND g.name = %s) AS _is_mentor,
       (SELECT count(*) FROM roadmap_notification n
        WHERE n.recipient_id = u.id AND n.read_at IS NULL) AS _unread_notifications,
       {profile_columns}
FROM auth_user u LEFT JOIN assessments_learnerprofile p ON p.user_id = u.id
WHERE u.id = %s
"""
PROFILE_FIELDS = (
    "id", "user_id", "current_role", "years_experience", "current_level_id", "target_level_id", "roadmap_emails",
    "stack", "weekly_hours",
)  # fmt: skip
USER_WITH_LAYOUT = USER_WITH_LAYOUT.replace(
    "{profile_columns}", ", ".join(f"p.{name} AS _profile_{name}" for name in PROFILE_FIELDS if name != "user_id")
)


class LayoutUserBackend(ModelBackend):
    """Django's model backend, whose ``get_user`` also reads whether the user is a mentor, how many
    notifications are unread and the learner profile, in the same query: the navigation needs the
    first two on every page (careerpath/context_processors.py), the standing pages the profile
    (assessments/standing.py::learner_profile), and each cost a round trip per request otherwise."""

    def get_user(self, user_id):
        from assessments.models import LearnerProfile

        sql = written_out(USER_WITH_LAYOUT, u=get_user_model())
        users = list(get_user_model().objects.raw(sql, [settings.MENTOR_GROUP, user_id]))
        if not users or not self.user_can_authenticate(users[0]):
            return None
        user = users[0]
        user._is_mentor = bool(user._is_mentor)  # SQLite answers 0 or 1
        if user._profile_id is not None:
            values = [getattr(user, f"_profile_{name}") for name in PROFILE_FIELDS if name != "user_id"]
            values.insert(1, user.pk)
            profile = LearnerProfile.from_db("default", list(PROFILE_FIELDS), values)
            get_user_model().profile.related.set_cached_value(user, profile)
        return user
