"""Throttling who may try what, how often, from where.

- Log-in: django-axes locks one username from one client address after ``AXES_FAILURE_LIMIT``
  failures (so an attacker cannot lock a user out from elsewhere); on top of that, an address with
  ``LOGIN_FAILURES_PER_ADDRESS`` failures over any accounts is refused for a while (password spraying).
- Sign-up and password-reset requests are limited per address (and per email for resets).
- The client address is the one found behind ``PROXY_COUNT`` proxies (``client_address``), for both.
- JSON API requests are limited per token (``api_request_counted``), after the token is checked.
Counters live in the cache; with the cache down the limits fail open and axes' per-account lock,
kept in the database, still holds.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest
from django_ratelimit.core import get_usage, is_ratelimited

LOGIN_FAILURES_PER_ADDRESS = "10/15m"
SIGNUPS_PER_ADDRESS = "5/h"
RESETS_PER_ADDRESS = "5/h"
RESETS_PER_EMAIL = "3/h"
API_REQUESTS_PER_TOKEN = "120/m"  # noqa: S105 - a rate, not a secret
USERNAME_MAX_LENGTH = 150  # auth.User's; axes' column holds 255, and longer input was a 500


def client_address(request: HttpRequest) -> str:
    """The client's address behind ``PROXY_COUNT`` trusted proxies, each of which appends the address
    it was connected from to X-Forwarded-For: the N-th entry from the right (what Werkzeug's ProxyFix
    does). Entries further left are whatever the client sent, so never trusted. django-ipware was
    tried: its proxy count means proxies *listed* in the header, and 0 (one load balancer) reads as
    "unset" and takes the leftmost, spoofable entry."""
    proxies = settings.PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies][:64]
    return request.META.get("REMOTE_ADDR", "")


def client_ip(group: str | None, request: HttpRequest) -> str:
    """django-ratelimit's key function."""
    return client_address(request)


def login_username(request: HttpRequest, credentials: dict | None) -> str:
    """The username axes records, cut to what a username can be."""
    name = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(name)[:USERNAME_MAX_LENGTH]


def _login_failures(request: HttpRequest, *, increment: bool) -> dict | None:
    return get_usage(
        request, group="login-failures", key=client_ip, rate=LOGIN_FAILURES_PER_ADDRESS, increment=increment
    )


def address_refused(request: HttpRequest) -> bool:
    """This address has failed as many log-ins as it may, over any accounts, in the window."""
    usage = _login_failures(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


class AddressThrottleBackend:
    """Before the password check in AUTHENTICATION_BACKENDS: refuse every log-in from an address that has failed too often,
    whatever the account. Axes' middleware then answers with the lock-out page (HTTP 429)."""

    def authenticate(self, request: HttpRequest | None, **credentials):
        if request is not None and address_refused(request):
            request.axes_locked_out = True
            request.address_throttled = True
            raise PermissionDenied("Too many failed log-ins from this address.")
        return None

    # No get_user: this backend never logs anyone in (and the test client's force_login skips it).


@receiver(user_login_failed)
def count_failure_per_address(sender, credentials, request=None, **kwargs) -> None:
    if request is not None and not getattr(request, "address_throttled", False):
        _login_failures(request, increment=True)


def request_limited(request: HttpRequest, *, group: str, rate: str, key=client_ip) -> bool:
    """Count this request against a limit; True when it is over."""
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def api_token_key(group: str | None, request: HttpRequest) -> str:
    """django-ratelimit's key for an API request: its token (``careerpath.tokens.Grant``)."""
    return str(request.auth.api_grant.token_id)


def api_request_counted(request: HttpRequest) -> int | None:
    """Count an authenticated API request against its token's limit: None while under it, else the
    seconds until the window ends (the answer's Retry-After)."""
    usage = get_usage(request, group="api-token", key=api_token_key, rate=API_REQUESTS_PER_TOKEN, increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, int(usage["time_left"]))
