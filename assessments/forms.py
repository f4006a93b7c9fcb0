from django import forms

from .models import LearnerProfile, Level, Proficiency


class ProfileForm(forms.ModelForm):
    """Onboarding and later changes: where the learner is now and which level they aim for."""

    class Meta:
        model = LearnerProfile
        fields = ["current_role", "years_experience", "current_level", "target_level", "roadmap_emails"]
        labels = {
            "current_role": "Your current role",
            "years_experience": "Years of backend experience",
            "current_level": "Your current level on the ladder",
            "target_level": "Your target level",
            "roadmap_emails": "Email me when my roadmap is updated",
        }
        help_texts = {
            "current_role": "For example: Backend developer at a fintech start-up.",
            "current_level": "Leave empty and we suggest one from your years of experience.",
            "target_level": "Your roadmap leads here. You can change it any time.",
            "roadmap_emails": "One email after a burst of changes, never one per rating. You always see it here.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        levels = Level.objects.order_by("order")
        self.fields["current_level"].queryset = levels
        self.fields["target_level"].queryset = levels
        self.fields["target_level"].required = True
        self.fields["years_experience"].widget.attrs.update(min=0, max=60)

    def clean(self):
        cleaned = super().clean()
        current, target = cleaned.get("current_level"), cleaned.get("target_level")
        years = cleaned.get("years_experience")
        if current is None and years is not None:
            current = level_for_years(years)
            cleaned["current_level"] = current
        if current and target and target.order < current.order:
            self.add_error("target_level", "Pick a target at or above your current level.")
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
