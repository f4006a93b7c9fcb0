"""The results page leads with a summary: level, strongest and weakest areas, what to do next."""

from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import LearnerProfile
from assessments.ratings import self_rating_record
from assessments.results import results_summary
from tests.factories import AreaFactory, CompetencyFactory, ExpectationFactory, LevelFactory, UserFactory


def _standing(*areas: tuple[str, float | None, float | None]):
    """A stand-in standing whose areas have these (name, measured average, target average)."""
    return SimpleNamespace(
        areas=[
            SimpleNamespace(area=SimpleNamespace(name=name, order=i), measured_average=measured, target_average=target)
            for i, (name, measured, target) in enumerate(areas)
        ]
    )


def _names(figures) -> list[str]:
    return [f.standing.area.name for f in figures]


def test_areas_rank_by_how_far_above_or_below_the_target_they_are():
    summary = results_summary(
        _standing(
            ("APIs", 2.0, 2.0),
            ("Security", 1.0, 2.5),
            ("Databases", 3.0, 2.0),
            ("Testing", 1.5, 2.0),
            ("Cloud", None, 2.0),
            ("Caching", 2.5, 3.5),
            ("Languages", 2.2, 2.0),
            ("Queues", 1.9, 2.0),
        )
    )
    assert _names(summary.strongest) == ["Databases", "Languages", "APIs"]
    assert _names(summary.weakest) == ["Security", "Caching", "Testing"]  # largest shortfall first
    assert _names(summary.gaps) == ["Security", "Caching", "Testing"]
    assert [a.area.name for a in summary.not_assessed] == ["Cloud"]


def test_an_area_is_never_both_strongest_and_weakest():
    summary = results_summary(_standing(("APIs", 2.0, 2.0), ("Security", 1.0, 2.5), ("Databases", 3.0, 2.0)))
    assert _names(summary.strongest) == ["Databases", "APIs"]
    assert _names(summary.weakest) == ["Security"]
    one = results_summary(_standing(("APIs", 2.0, 3.0)))
    assert _names(one.strongest) == ["APIs"] and one.weakest == [] and one.gaps == []


def test_a_weak_area_at_or_above_the_target_is_no_gap_and_without_a_target_the_measure_ranks():
    summary = results_summary(_standing(("APIs", 3.0, 2.0), ("Security", 2.5, 2.0)))
    assert _names(summary.weakest) == ["Security"] and summary.gaps == []
    untargeted = results_summary(_standing(("APIs", 1.0, None), ("Security", 3.0, None)))
    assert _names(untargeted.strongest) == ["Security"] and _names(untargeted.weakest) == ["APIs"]


def test_nothing_assessed_has_no_strongest_or_weakest():
    summary = results_summary(_standing(("APIs", None, 2.0)))
    assert summary.strongest == [] and summary.weakest == [] and len(summary.not_assessed) == 1


@pytest.mark.django_db
def test_the_results_page_leads_with_the_level_the_areas_and_what_to_do_next(client):
    junior, senior = LevelFactory(name="Junior", order=1), LevelFactory(name="Senior", order=2)
    learner = UserFactory()
    LearnerProfile.objects.create(user=learner, current_level=junior, target_level=senior)
    areas = {name: AreaFactory(name=name, order=i) for i, name in enumerate(["Databases", "Security", "Cloud"])}
    for name, area in areas.items():
        competency = CompetencyFactory(area=area, name=f"{name} basics")
        ExpectationFactory(competency=competency, level=junior, proficiency=1)
        ExpectationFactory(competency=competency, level=senior, proficiency=3)
        if name != "Cloud":  # Cloud is not assessed
            rating = 3 if name == "Databases" else 1
            self_rating_record(learner_id=learner.pk, competency=competency, proficiency=rating, now=timezone.now())
    client.force_login(learner)
    body = client.get(reverse("results")).content.decode()
    summary = body[body.index('class="card summary"') : body.index('id="chances-h"')]
    assert "Your level" in summary
    strongest, weakest = summary.index("Strongest"), summary.index("Weakest")
    assert strongest < summary.index("Databases") < weakest < summary.index("Security")
    assert summary.count(" of 4; target 3.0") == 2  # measured from the self-ratings, against Senior's 3
    assert "Close your biggest gap, Security" in summary and reverse("roadmap") in summary
    assert reverse("self_assessment_area", args=[areas["Cloud"].slug]) in summary
    assert "Rate yourself in Cloud</a>." in summary
