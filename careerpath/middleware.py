from collections.abc import Callable

from django.conf import settings
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


def site_not_found_page_in_debug(get_response: Callable[[HttpRequest], HttpResponse]):
    """With DEBUG on (`make run`) Django answers a 404 with its technical page, which lists the URL
    patterns; show the site's own page instead, as production does. An htmx request keeps its own
    answer (a removed roadmap step asks for a reload)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and "HX-Request" not in request.headers
        ):
            from .errors import not_found

            return not_found(request, None)
        return response

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
