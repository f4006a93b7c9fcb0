from django.conf import settings
from django.contrib import admin
from django.urls import include, path, register_converter

from . import token_views, views
from .api.site import api
from .converters import IdConverter

register_converter(IdConverter, "id")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/delete/", views.account_delete_view, name="account_delete"),
    path("accounts/password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("profile/api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("profile/api-tokens/<id:token_id>/revoke/", token_views.api_token_revoke, name="api_token_revoke"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("assessments.urls")),
    path("", include("roadmap.urls")),
]

handler403 = "careerpath.errors.forbidden"
handler404 = "careerpath.errors.not_found"
handler500 = "careerpath.errors.server_error"

if settings.BENCH_FLOOR:
    urlpatterns.append(path("bench/floor", views.bench_floor))
