from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm, UserCreationForm
from django.contrib.auth.models import User
from django.template import loader

from .models import ApiToken
from .tokens import EXPIRY_CHOICES
from .zones import time_zone_names


class SignUpForm(UserCreationForm):
    # No "email already taken" error: it would tell anyone whether an address has an account (log-in
    # and password reset do not). The address's owner is told by email instead (careerpath/views.py).
    email = forms.EmailField(required=True, help_text="For password resets and notifications.")
    # The browser's zone (static/js/app.js): not typed, so a name we do not know is left for later.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-detect-time-zone": ""}))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"]
        return name if name in time_zone_names() else ""


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, with the email sent by a Celery job instead of inside the request."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ) -> None:
        from .tasks import email_queue

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        email_queue(subject=subject, body=body, to=to_email)


class AccountDeleteForm(forms.Form):
    """The password again before deleting the account, checked the way log-in checks it (django-axes
    and the per-address limit count a wrong one), so this form is no way around log-in's throttle."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        checked = authenticate(self.request, username=user.get_username(), password=password)
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError("That is not your password. Nothing was deleted.")
        return password


class ApiTokenForm(forms.Form):
    prefix = "token"  # its fields' ids stay apart from the profile form's on the same page

    name = forms.CharField(max_length=60, strip=True, help_text="What it is for, e.g. “my progress script”.")
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        help_text="Read: your standing, results and roadmap. Read and write: also change your steps.",
    )
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES.items(), required=False, initial="90")

    def clean_expires(self) -> int | None:
        return int(self.cleaned_data["expires"]) if self.cleaned_data["expires"] else None
