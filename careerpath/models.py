from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone


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


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> ApiTokenQuerySet:
        """Not revoked (an expired token is still listed, marked expired, until its owner revokes it)."""
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A personal access token for the JSON API (careerpath/tokens.py). Only the secret's SHA-256 is
    stored: the secret is shown once, at creation, and cannot be read back."""

    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60, help_text="What the token is for, to tell tokens apart.")
    scope = models.CharField(max_length=5, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=12, help_text="The secret's first characters, shown in lists.")
    secret_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the secret, hex.")
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True, help_text="Moved on at most once a minute.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: does not expire.")

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(scope__in=["read", "write"]), name="api_token_scope")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…, {self.scope}) of {self.user_id}"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()
