from django import forms

from assessments.models import Proficiency

from .models import RoadmapStep


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(choices=RoadmapStep.Status.choices)


class StepNoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=5000, strip=True)
    note_shared = forms.BooleanField(required=False)


class StepLinkForm(forms.Form):
    url = forms.URLField(
        assume_scheme="https", max_length=500, error_messages={"invalid": "Enter a full web address (https://…)."}
    )
    title = forms.CharField(required=False, max_length=200, strip=True)


class MentorRatingForm(forms.Form):
    proficiency = forms.TypedChoiceField(
        choices=Proficiency.choices, coerce=int, error_messages={"invalid_choice": "Pick a rating from 0 to 4."}
    )
    note = forms.CharField(
        max_length=2000, strip=True, widget=forms.Textarea(attrs={"rows": 2}), help_text="What the rating is based on."
    )
    evidence_url = forms.URLField(
        required=False,
        assume_scheme="https",
        max_length=500,
        label="Evidence link (optional)",
        help_text="A pull request, design document, ...",
    )


class CommentForm(forms.Form):
    body = forms.CharField(max_length=4000, strip=True, widget=forms.Textarea(attrs={"rows": 2}), label="Comment")


class InviteCodeForm(forms.Form):
    code = forms.CharField(max_length=64, strip=True, label="Invite code")
