"""Sessions in the database (they must outlive a cache outage: see ARCHITECTURE.md, "Never lost"),
read together with the signed-in user in one written-out statement.

Every signed-in request reads its session, then its user (with the layout's mentor flag, unread
count and learner profile: careerpath/auth.py). The session row names its user (``UserSession.user``),
so one statement reads both and the user waits in ``session_user`` for ``LayoutUserBackend.get_user``,
which Django calls right after, in the same request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from .auth import LAYOUT_SELECT, PROFILE_JOIN, layout_user, session_user
from .sql import first_row

SESSION_WITH_USER = " ".join(
    [
        "SELECT s.session_data AS _session_data,",
        LAYOUT_SELECT,
        "FROM careerpath_usersession s LEFT JOIN auth_user u ON u.id = s.user_id",
        PROFILE_JOIN,
        "WHERE s.session_key = %s AND s.expire_date > %s",
    ]
)


class SessionStore(db.SessionStore):
    @classmethod
    def get_model_class(cls):
        from .models import UserSession

        return UserSession

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        user_id = data.get(SESSION_KEY)
        instance.user_id = get_user_model()._meta.pk.to_python(user_id) if user_id is not None else None
        return instance

    def _get_session_from_db(self):
        session_user.set(None)
        if not self.session_key:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        params = [settings.MENTOR_GROUP, self.session_key, now]
        row = first_row(get_user_model(), SESSION_WITH_USER, params, using=connection.alias, u=get_user_model())
        if row is None:
            self._session_key = None  # as Django's store: a key not found starts a new session
            return None
        if row.pk is not None:
            session_user.set((row.pk, layout_user(row)))
        return model(session_key=self.session_key, session_data=row._session_data)
