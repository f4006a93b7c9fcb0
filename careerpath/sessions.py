"""Sessions in the database (they must outlive a cache outage: see ARCHITECTURE.md, "Never lost"),
read with one written-out statement.

Every signed-in request reads its session first. The ORM's version of this lookup spends longer
building the statement than the database spends answering it, as with the user (careerpath/auth.py).
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        if not self.session_key:
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        table, now = connection.ops.quote_name(model._meta.db_table), timezone.now()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                [self.session_key, connection.ops.adapt_datetimefield_value(now)],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's store: a key not found starts a new session
            return None
        return model(session_key=self.session_key, session_data=row[0])
