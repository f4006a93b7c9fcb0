"""Rendered fragments cached under a key that changes whenever what they show can change.

A fragment with forms cannot keep the CSRF token it was rendered with: the token belongs to one
browser's cookie (and log-in rotates it). So a fragment is rendered with a placeholder in each
``{% csrf_token %}`` and every request puts its own token in its place, the same masked token Django
would write into each form of the page.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

FRAGMENT_SECONDS = 3600


def _csrf_placeholder() -> str:
    """The same in every process (fragments are shared through the cache) and not guessable, so no
    user's text can contain it."""
    return hmac.new(settings.SECRET_KEY.encode(), b"fragment-csrf-placeholder", hashlib.sha256).hexdigest()


def cached_fragment(request: HttpRequest, key: str | None, template: str, context: Callable[[], dict]) -> SafeString:
    """``template`` rendered with ``context()`` (called only when the fragment is not cached).

    ``key`` must name everything the fragment shows; None renders without caching (the cache cannot
    say which content version is current). The time zone times are printed in is added here, for
    every fragment: a learner (or a mentor, on a mentee's page) sees times in their own zone, never in
    the zone of whoever rendered the fragment first. The cache failing soft (careerpath/cache.py) renders."""
    placeholder = _csrf_placeholder()
    key = key and f"fragment:{key}:{timezone.get_current_timezone_name()}"
    html = cache.get(key) if key else None
    if html is None:
        html = render_to_string(template, {**context(), "csrf_token": placeholder}, request=request)
        if key:
            cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html.replace(placeholder, get_token(request)))  # noqa: S308 - rendered by a template
