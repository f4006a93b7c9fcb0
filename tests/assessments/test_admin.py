"""Every admin page for every model loads for an admin."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from assessments.admin import MARKDOWN_HELP
from assessments.models import Choice, LearnerProfile, MentorRating, Mentorship, Question, Response, SelfRating
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
    question = Question.objects.get()
    url = reverse("admin:assessments_question_changelist")
    found = client.get(url, {"q": question.text[:12], "kind": question.kind}).content.decode()
    assert f"/admin/assessments/question/{question.pk}/change/" in found
    other_kind = "multiple" if question.kind == "single" else "single"
    assert (
        f"/admin/assessments/question/{question.pk}/change/"
        not in client.get(url, {"kind": other_kind}).content.decode()
    )


def test_the_admin_says_which_fields_take_markdown(client, one_of_everything):
    client.force_login(AdminFactory())
    question = Question.objects.get()
    page = client.get(reverse("admin:assessments_question_change", args=[question.pk])).content.decode()
    assert re.search(r'id="id_text_helptext">\s*<div>' + re.escape(MARKDOWN_HELP), page)
    assert f"Why the right answer is right; shown only after submission. {MARKDOWN_HELP}" in page
    assert re.search(r'column-text required">Text\s*<img[^>]*title="' + re.escape(MARKDOWN_HELP), page), "choices"
    competency = client.get(reverse("admin:assessments_competency_change", args=[question.competency.pk]))
    assert re.search(r'id="id_description_helptext">\s*<div>' + re.escape(MARKDOWN_HELP), competency.content.decode())


def test_learners_cannot_open_the_admin(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def _question_post(question: Question, changes: dict[int, dict]) -> dict:
    """The question's change form as the admin posts it, with per-choice changes (by position)."""
    choices = list(question.choices.order_by("order", "id"))
    data = {
        "quiz": question.quiz_id,
        "competency": question.competency_id,
        "slug": question.slug,
        "kind": question.kind,
        "difficulty": question.difficulty,
        "text": question.text,
        "explanation": question.explanation,
        "order": question.order,
        "choices-TOTAL_FORMS": len(choices),
        "choices-INITIAL_FORMS": len(choices),
        "choices-MIN_NUM_FORMS": 0,
        "choices-MAX_NUM_FORMS": 1000,
    }
    for i, choice in enumerate(choices):
        row = {"id": choice.pk, "question": question.pk, "order": choice.order, "text": choice.text}
        row |= {"is_correct": choice.is_correct, "retired": choice.retired} | changes.get(i, {})
        data |= {f"choices-{i}-{k}": v for k, v in row.items() if v is not False}
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({0: {"is_correct": False}}, "Mark at least one choice correct."),
        ({1: {"is_correct": True}}, "A single-choice question has exactly one correct choice, not 2."),
        ({0: {"retired": True}}, "A retired choice cannot be correct"),
        ({0: {"DELETE": True}}, "tick &#x27;retired&#x27; instead of deleting it."),
    ],
)
def test_the_admin_refuses_a_broken_answer_key(client, one_of_everything, changes, message):
    question = Question.objects.get()
    response = Response.objects.get()
    response.choices.set([question.choices.get(is_correct=True)])
    client.force_login(AdminFactory())
    url = reverse("admin:assessments_question_change", args=[question.pk])
    before = list(Choice.objects.values_list("pk", "is_correct", "retired"))
    page = client.post(url, _question_post(question, changes))
    assert page.status_code == 200 and message in page.content.decode()
    assert list(Choice.objects.values_list("pk", "is_correct", "retired")) == before


def test_an_admin_edit_of_an_answer_key_asks_for_recomputes(
    client, one_of_everything, django_capture_on_commit_callbacks
):
    question = Question.objects.get()
    client.force_login(AdminFactory())
    url = reverse("admin:assessments_question_change", args=[question.pk])
    RoadmapRequest.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, _question_post(question, {0: {"is_correct": False}, 1: {"is_correct": True}}))
    assert saved.status_code == 302
    assert question.choices.filter(is_correct=True).get().order == 1
    assert RoadmapRequest.objects.filter(reason__startswith="content").exists()
