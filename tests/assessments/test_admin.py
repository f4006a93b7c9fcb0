"""Every admin page for every model loads for an admin."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from assessments.models import LearnerProfile, MentorRating, Mentorship, Response, SelfRating
from roadmap.compute import roadmap_recompute
from roadmap.models import RoadmapRequest
from tests.factories import (
    AdminFactory,
    AttemptFactory,
    ExpectationFactory,
    ResourceFactory,
    UserFactory,
    question_with_choices,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_everything():
    expectation = ExpectationFactory()
    ResourceFactory(competency=expectation.competency)
    question = question_with_choices(competency=expectation.competency)
    attempt = AttemptFactory(quiz=question.quiz)
    Response.objects.create(attempt=attempt, question=question, answered_at=timezone.now())
    SelfRating.objects.create(
        learner=attempt.learner, competency=expectation.competency, proficiency=2, rated_at=timezone.now()
    )
    LearnerProfile.objects.create(user=attempt.learner, target_level=expectation.level)
    mentor = UserFactory()
    Mentorship.objects.create(mentor=mentor, learner=attempt.learner)
    MentorRating.objects.create(
        learner=attempt.learner,
        mentor=mentor,
        competency=expectation.competency,
        proficiency=3,
        note="PR #12",
        rated_at=timezone.now(),
    )
    RoadmapRequest.objects.create(learner=attempt.learner, reason="test", requested_at=timezone.now())
    roadmap_recompute(learner_id=attempt.learner.pk, now=timezone.now())


def _registered_models():
    return [m for m in admin.site._registry if m._meta.app_label in {"assessments", "roadmap"}]


@pytest.mark.parametrize("page", ["changelist", "add", "change"])
def test_every_content_admin_page_loads(client, one_of_everything, page):
    client.force_login(AdminFactory())
    models = _registered_models()
    assert len(models) >= 15
    for model in models:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}"
        args = [model.objects.first().pk] if page == "change" else []
        response = client.get(reverse(name, args=args))
        addable = page != "add" or admin.site._registry[model].has_add_permission(response.wsgi_request)
        assert response.status_code == (200 if addable else 403), f"{name}: {response.status_code}"


def test_admin_search_and_filters_work(client, one_of_everything):
    client.force_login(AdminFactory())
    response = client.get(reverse("admin:assessments_question_changelist"), {"q": "Question", "kind": "single"})
    assert response.status_code == 200
    assert "1 question" in response.content.decode() or "question" in response.content.decode()


def test_learners_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
