import functools

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from careerpath.zones import time_zone_choices, time_zone_names

from .models import LearnerProfile, Level, Proficiency, Stack


def _time_zone_options() -> list[tuple[str, str]]:
    return [("", "Not set: your browser's, or UTC"), *time_zone_choices()]


@functools.cache
def _time_zone_options_html() -> str:
    return format_html_join("", '<option value="{}">{}</option>', _time_zone_options())


class TimeZoneSelect(forms.Select):
    """The 600 zones' options rendered once per process and the chosen one marked: Django's template
    per option took 60 ms a profile page."""

    def use_required_attribute(self, initial) -> bool:
        return False  # never required (the first choice is "not set"); Django's check reads every choice

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        options = _time_zone_options_html()
        if value:
            chosen = format_html('<option value="{}"', value)
            options = mark_safe(options.replace(chosen, f"{chosen} selected", 1))  # noqa: S308 - both escaped
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )


class ProfileForm(forms.ModelForm):
    """Onboarding and later changes: where the learner is now and which level they aim for."""

    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=_time_zone_options,
        widget=TimeZoneSelect,
        required=False,
        help_text="Deadlines and dates are shown in it.",
        error_messages={
            "invalid_choice": "“%(value)s” is not a time zone we know. Pick one from the list, such as Europe/Berlin."
        },
    )
    # The browser's zone (static/js/app.js), taken when no zone is chosen: not typed, so never an error.
    detected_time_zone = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-detect-time-zone": ""}))

    class Meta:
        model = LearnerProfile
        fields = [
            "current_role", "years_experience", "current_level", "target_level", "stack", "weekly_hours", "roadmap_emails",
            "time_zone",
        ]  # fmt: skip
        labels = {
            "current_role": "Your current role",
            "years_experience": "Years of backend experience",
            "current_level": "Your current level on the ladder",
            "target_level": "Your target level",
            "stack": "Your main language stack",
            "weekly_hours": "Hours a week for learning",
            "roadmap_emails": "Email me when my roadmap is updated",
        }
        help_texts = {
            "current_role": "For example: Backend developer at a fintech start-up.",
            "current_level": "Leave empty and we suggest one from your years of experience.",
            "target_level": "Your roadmap leads here. You can change it any time.",
            "stack": "Resources for your stack come first; leave empty for stack-neutral ones.",
            "weekly_hours": "Your roadmap shows when you can expect to reach each level at this pace (1-60).",
            "roadmap_emails": "One email after a burst of changes, never one per rating. You always see it here.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = Level.objects.order_by("order")
        self.fields["current_level"].queryset = levels
        self.fields["target_level"].queryset = levels
        self.fields["target_level"].required = True
        self.fields["years_experience"].widget.attrs.update(min=0, max=60)
        self.fields["weekly_hours"].widget.attrs.update(min=1, max=60)
        self.fields["weekly_hours"].required = False  # empty keeps the pace there was
        self.fields["stack"].choices = [("", "No preference")] + list(Stack.choices)

    def clean_weekly_hours(self) -> int:
        return self.cleaned_data.get("weekly_hours") or self.instance.weekly_hours or 5

    def clean(self):
        cleaned = super().clean()
        current, target = cleaned.get("current_level"), cleaned.get("target_level")
        years = cleaned.get("years_experience")
        if current is None and years is not None:
            current = level_for_years(years)
            cleaned["current_level"] = current
        if current and target and target.order < current.order:
            self.add_error("target_level", "Pick a target at or above your current level.")
        if cleaned.get("time_zone") == "" and cleaned.get("detected_time_zone") in time_zone_names():
            cleaned["time_zone"] = cleaned["detected_time_zone"]
        return cleaned


def level_for_years(years: int) -> Level | None:
    """The highest level whose experience range starts at or below ``years``."""
    return Level.objects.filter(years_min__lte=years).order_by("-order").first()


class SelfRatingForm(forms.Form):
    proficiency = forms.TypedChoiceField(
        choices=Proficiency.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Pick a rating from 0 to 4.", "invalid_choice": "Pick a rating from 0 to 4."},
    )
