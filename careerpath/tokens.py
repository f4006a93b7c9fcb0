"""Personal access tokens for the JSON API: made, checked and revoked here.

A token is ``cp_`` and 43 characters of base64url: 32 bytes (256 bits) from ``secrets``. Only its
SHA-256 is stored. A slow, salted hash (PBKDF2, argon2) protects passwords, which people choose
from a small space an attacker can walk through; nobody can walk through 2**256 random secrets, so
one fast hash makes a stolen table useless just as well, and lets each request find its token by
an indexed equality on the hash in the same statement that reads the user (no per-user salt to
read first, no 100 ms of hashing a request). The secret is shown once, when it is made.

A request reads the token every time (no cache), so a revoked token stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

from .auth import LAYOUT_SELECT, PROFILE_JOIN, layout_user
from .models import ApiToken
from .sql import extra_datetime, first_row

SECRET_START = "cp_"  # noqa: S105 - says what a secret is (secret scanners can find a leaked one)
SHOWN_PREFIX = len(SECRET_START) + 6  # what a list shows of a secret; the other 37 characters stay unguessable
MAX_LIVE_TOKENS = 10  # per user: the rate limit is per token, so tokens are not to be had in bulk
LAST_USED_EVERY = timedelta(minutes=1)  # a token in use is written at most this often, not on every request
EXPIRY_CHOICES = {"": "Never", "30": "In 30 days", "90": "In 90 days", "365": "In a year"}


class TokenRefused(Exception):
    """A token cannot be made (too many live tokens); the message says why."""


@dataclass(frozen=True)
class Grant:
    """What a request's token allows."""

    token_id: int
    scope: str

    @property
    def can_write(self) -> bool:
        return self.scope == ApiToken.Scope.WRITE


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(
    *, user_id: int, name: str, scope: str, now: datetime, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token and its secret, the only time the secret exists outside the caller's hands."""
    if ApiToken.objects.live().filter(user_id=user_id).count() >= MAX_LIVE_TOKENS:
        raise TokenRefused(f"You have {MAX_LIVE_TOKENS} tokens; revoke one you no longer use first.")
    secret = SECRET_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user_id=user_id,
        name=name,
        scope=scope,
        prefix=secret[:SHOWN_PREFIX],
        secret_hash=secret_hash(secret),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return token, secret


def token_revoke(*, user_id: int, token_id: int, now: datetime) -> bool:
    """Revoke one of the user's live tokens; False when they have no such token (or it is revoked)."""
    return bool(ApiToken.objects.live().filter(pk=token_id, user_id=user_id).update(revoked_at=now))


# One statement: the token (live, unexpired) with its user and what the session's read of the user
# carries (careerpath/auth.py): the mentor flag the mentor endpoints check and the learner profile
# the standing reads, so an API request starts at one query as a page does.
GRANT_COLUMNS = "t.id AS _token_id, t.scope AS _token_scope, t.last_used_at AS _token_last_used_at"
TOKEN_USER = (
    f"SELECT {LAYOUT_SELECT}, {GRANT_COLUMNS} FROM careerpath_apitoken t"  # noqa: S608 - constants
    f" JOIN auth_user u ON u.id = t.user_id {PROFILE_JOIN} WHERE t.secret_hash = %s AND t.revoked_at IS NULL"
    " AND (t.expires_at IS NULL OR t.expires_at > %s) AND u.is_active"
)


def token_user(*, secret: str, now: datetime):
    """The active user a live, unexpired secret belongs to, with its ``Grant`` as ``api_grant``;
    None for anything else. Moves the token's ``last_used_at`` on when a minute has passed."""
    if not secret.startswith(SECRET_START) or len(secret) > 100:
        return None  # not one of ours: no query
    User = get_user_model()
    user = first_row(User, TOKEN_USER, [settings.MENTOR_GROUP, secret_hash(secret), now], u=User)
    if user is None:
        return None
    last_used = extra_datetime(user._token_last_used_at)
    if last_used is None or now - last_used >= LAST_USED_EVERY:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY)
        ApiToken.objects.filter(stale, pk=user._token_id).update(last_used_at=now)
    user.api_grant = Grant(token_id=user._token_id, scope=user._token_scope)
    return layout_user(user)
