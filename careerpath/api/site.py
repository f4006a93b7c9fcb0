"""The API: its routers, auth and limits for every endpoint, its errors as JSON, and its OpenAPI
schema at /api/v1/openapi.json (no docs page: django-ninja's loads Swagger UI from a CDN, which the
CSP refuses; the schema opens in any OpenAPI viewer)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from careerpath.throttle import API_REQUESTS_PER_TOKEN

from . import learner, mentor
from .access import BearerToken, PerToken

api = NinjaAPI(
    title="CareerPath API",
    version="1",
    description=(
        "A learner's standing, results and roadmap; a mentor's mentees. Send a personal access token "
        "(your profile page makes one) as `Authorization: Bearer <token>`. A read token reads, a read "
        f"and write token also changes steps. Rate limit: {API_REQUESTS_PER_TOKEN} per token (429 with "
        "Retry-After past it). Lists take limit (1-100) and offset."
    ),
    urls_namespace="api",
    docs_url=None,
    auth=BearerToken(),
    throttle=PerToken(),
)
api.add_router("", learner.router)
api.add_router("", mentor.router)


def _error(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(request, "Send a valid token: Authorization: Bearer <token>.", 401)
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, str(exc) or "Not allowed.", 403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, str(exc) or "Not found.", 404)
