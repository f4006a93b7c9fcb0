from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class UserSession(AbstractBaseSession):
    """A session with the signed-in user's id in a column of its own, so the one statement that
    reads the session also reads the user and what every page's layout needs (careerpath/sessions.py):
    one round trip a request instead of two. Deleting a user deletes their sessions."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        db_constraint=False,  # a log-in racing the user's deletion is not an error
        related_name="+",
    )

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
