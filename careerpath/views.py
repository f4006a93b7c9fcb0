from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from assessments.models import LearnerProfile, Level

from .account_deletion import account_delete, deletion_refusal
from .forms import AccountDeleteForm, QueuedPasswordResetForm, SignUpForm
from .next_page import next_page
from .readiness import readiness
from .tasks import email_queue
from .throttle import RESETS_PER_ADDRESS, RESETS_PER_EMAIL, SIGNUPS_PER_ADDRESS, request_limited

TOO_MANY = "Too many requests from your network address. Wait an hour, then try again."


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html", {"levels": Level.objects.all()})


def _tell_owner_of_email(*, email: str, new_username: str) -> None:
    """Sign-up does not say an address is taken; its owner hears of the new account instead."""
    for owner in User.objects.filter(email__iexact=email).exclude(username=new_username):
        body = render_to_string(
            "registration/email_in_use_email.txt",
            {"owner": owner, "new_username": new_username, "site_url": settings.SITE_URL},
        )
        email_queue(subject="A new CareerPath account uses your email address", body=body, to=owner.email)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if request_limited(request, group="signup", rate=SIGNUPS_PER_ADDRESS):
            form.is_valid()  # keep what was typed, and show field errors too
            form.add_error(None, TOO_MANY)
            return render(request, "registration/signup.html", {"form": form}, status=429)
        if form.is_valid():
            user = form.save()
            LearnerProfile.objects.create(user=user, time_zone=form.cleaned_data["time_zone"])
            _tell_owner_of_email(email=user.email, new_username=user.username)
            login(request, user, backend="careerpath.auth.LayoutUserBackend")
            onboarding = reverse("onboarding")
            return redirect(
                f"{onboarding}?{urlencode({'next': after})}" if (after := next_page(request)) else onboarding
            )
    context = {"form": form, "next": next_page(request)}
    return render(request, "registration/signup.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request: HttpRequest) -> HttpResponse:
    """GET says what goes and what stays; POST with the right password deletes, logs out and goes home."""
    refusal = deletion_refusal(request.user)
    form = AccountDeleteForm(request.POST if request.method == "POST" and not refusal else None, request=request)
    if form.is_bound and form.is_valid():
        account_delete(user_id=request.user.pk)
        logout(request)
        messages.success(request, "Your account and everything CareerPath held about you have been deleted.")
        return redirect("home")
    status = 403 if refusal and request.method == "POST" else 400 if form.errors else 200
    return render(request, "registration/account_delete.html", {"form": form, "refusal": refusal}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, limited per address and per email, with the email sent by a worker."""

    form_class = QueuedPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    @property
    def extra_email_context(self):
        return {"site_url": settings.SITE_URL}

    def post(self, request, *args, **kwargs):
        limited = request_limited(request, group="password-reset", rate=RESETS_PER_ADDRESS)
        limited |= request_limited(request, group="password-reset-email", rate=RESETS_PER_EMAIL, key=_posted_email)
        if limited:
            form = self.get_form()
            form.is_valid()
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


def _posted_email(group: str, request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()[:254]


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def readyz(request: HttpRequest) -> JsonResponse:
    """503 naming each dependency that is down (database, cache, broker); /healthz is liveness only."""
    states = readiness()
    ready = all(state == "ok" for state in states.values())
    return JsonResponse({"ready": ready, **states}, status=200 if ready else 503)


def bench_floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's yardstick: one query, a few bytes (served only with BENCH_FLOOR=1)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
