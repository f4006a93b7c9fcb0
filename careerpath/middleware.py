from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control

from assessments.content import content_version_held


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
