from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .content import matrix_load
from .models import PROFICIENCY_DESCRIPTORS, LearnerProfile, Proficiency


def _profile_for(user) -> LearnerProfile:
    profile, _ = LearnerProfile.objects.select_related("current_level", "target_level").get_or_create(user=user)
    return profile


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "assessments/dashboard.html", {"profile": _profile_for(request.user)})


def matrix(request: HttpRequest) -> HttpResponse:
    levels, areas = matrix_load()
    scale = [(p.value, p.label, PROFICIENCY_DESCRIPTORS[p.value]) for p in Proficiency]
    return render(request, "assessments/matrix.html", {"levels": levels, "areas": areas, "scale": scale})
