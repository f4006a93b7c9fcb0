from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from assessments.content import content_version_held

from .zones import time_zone_of, zone_info


def content_version_per_request(get_response: Callable[[HttpRequest], HttpResponse]):
    """Read the shared content version once a request, not at every content read."""

    def middleware(request: HttpRequest) -> HttpResponse:
        with content_version_held():
            return get_response(request)

    return middleware


def private_pages_not_stored(get_response: Callable[[HttpRequest], HttpResponse]):
    """A page served to a signed-in user holds their data: no shared cache or browser disk may keep it."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response

    return middleware


def time_zone_per_request(get_response: Callable[[HttpRequest], HttpResponse]):
    """Show times in the signed-in learner's zone (UTC while it is not known): the zone is read with
    the session and the user (careerpath/sessions.py), so this costs no query."""

    def middleware(request: HttpRequest) -> HttpResponse:
        zone = zone_info(time_zone_of(getattr(request, "user", None)))
        if zone is None:
            return get_response(request)
        with timezone.override(zone):
            return get_response(request)

    return middleware
