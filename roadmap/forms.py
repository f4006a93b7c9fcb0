from django import forms

from .models import RoadmapStep


class StepStatusForm(forms.Form):
    status = forms.ChoiceField(choices=RoadmapStep.Status.choices)


class StepNoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=5000, strip=True)
