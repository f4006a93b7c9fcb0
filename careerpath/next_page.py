"""Where to go after signing up or onboarding: a ``next`` page on this site, carried through the
steps (an invite link opened before having an account), or nothing."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_page(request: HttpRequest) -> str:
    """The request's ``next`` (posted or in the query) if it is a page of this site, else ""."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if safe else ""
