"""Who an API request is, what its token allows, and how often.

Only ``Authorization: Bearer <token>`` signs a request in: no session. A browser attaches cookies to
a request another site makes it send, never an Authorization header, so no other site can make a
signed-in browser call the API, and the API has no CSRF question (django-ninja's views are exempt
from Django's check; nothing here reads the session).
"""

from __future__ import annotations

from contextvars import ContextVar

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from careerpath.throttle import api_request_counted
from careerpath.tokens import token_user


class BearerToken(HttpBearer):
    """A personal access token (careerpath/tokens.py). The token's user becomes ``request.user``, so
    the pages' own access checks, which read it, apply unchanged."""

    def authenticate(self, request: HttpRequest, token: str):
        user = token_user(secret=token, now=timezone.now())
        if user is not None:
            request.user = user
        return user


_retry_after: ContextVar[int | None] = ContextVar("retry_after", default=None)


class PerToken(BaseThrottle):
    """``careerpath.throttle.API_REQUESTS_PER_TOKEN``, counted atomically in the shared cache (django-
    ninja's own throttles read and write a list, so two workers can both let a request through)."""

    def allow_request(self, request: HttpRequest) -> bool:
        _retry_after.set(api_request_counted(request))
        return _retry_after.get() is None

    def wait(self) -> int | None:  # django-ninja sends it as Retry-After
        return _retry_after.get()


def require_write(request: HttpRequest) -> None:
    """A read-only token may not change anything: 403, whichever object it names."""
    if not request.auth.api_grant.can_write:
        raise PermissionDenied("This token is read-only; create a read and write token to change steps.")
