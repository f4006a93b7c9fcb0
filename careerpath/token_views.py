"""The profile page's API tokens: made and revoked by their owner (careerpath/tokens.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from .forms import ApiTokenForm
from .models import ApiToken
from .tokens import TokenRefused, token_create, token_revoke


def tokens_context(user) -> dict:
    """What ``_api_tokens.html`` shows (the profile page includes it too)."""
    return {"api_tokens": ApiToken.objects.live().filter(user=user), "token_form": ApiTokenForm()}


def _tokens_answer(request: HttpRequest, context: dict, *, status: int = 200) -> HttpResponse:
    """The section alone for htmx; else the tokens page, which includes the same section."""
    context = {**tokens_context(request.user), **context}
    template = "_api_tokens.html" if request.htmx else "api_tokens.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """GET: the tokens on a page of their own. POST: a new token, whose secret this answer shows,
    once (without JavaScript too: the page is rendered, not redirected to, so the secret is never
    kept in a session or a message)."""
    if request.method == "GET":
        return _tokens_answer(request, {})
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = token_create(
                user_id=request.user.pk,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                now=timezone.now(),
                expires_in_days=form.cleaned_data["expires"],
            )
        except TokenRefused as refused:
            form.add_error(None, str(refused))
        else:
            return _tokens_answer(request, {"new_token": token, "new_secret": secret}, status=201)
    return _tokens_answer(request, {"token_form": form}, status=400)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's tokens: the next request with it is refused. Another user's is a 404."""
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=token_id)
    token_revoke(user_id=request.user.pk, token_id=token.pk, now=timezone.now())  # a second click: as it is
    message = f"Token “{token.name}” revoked: it no longer works."
    if request.htmx:
        return _tokens_answer(request, {"token_message": message})
    messages.success(request, message)
    return redirect(reverse("profile") + "#api-tokens")
