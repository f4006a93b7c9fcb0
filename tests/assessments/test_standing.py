"""The stored standing: computed when evidence changes, read (never estimated) by pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import standing as standing_module
from assessments.attempts import answer_save, attempt_start, attempt_submit
from assessments.models import CompetencyEstimate, LearnerStanding, SelfRating
from assessments.ratings import self_rating_record
from assessments.standing import learner_standing
from tests.factories import right_choice

pytestmark = pytest.mark.django_db


def _answer_all(learner, quiz, *, right: bool, count: int | None = None):
    attempt = attempt_start(learner_id=learner.pk, quiz=quiz, now=timezone.now())
    for question in list(quiz.questions.all())[:count]:
        choice = right_choice(question) if right else question.choices.filter(is_correct=False).first()
        answer_save(attempt_id=attempt.pk, question_id=question.pk, choice_ids=[choice.pk], now=timezone.now())
    attempt_submit(attempt_id=attempt.pk, now=timezone.now())
    return attempt


def test_a_new_learner_is_not_assessed_yet(roadmap_world, client):
    learner = roadmap_world["learner"]
    standing = learner_standing(user=learner)
    assert not standing.assessed and standing.level is None
    assert all(row.current is None for row in standing.by_competency.values())
    client.force_login(learner)
    assert "Not assessed yet" in client.get(reverse("dashboard")).content.decode()
    assert "Not assessed yet" in client.get(reverse("results")).content.decode()


def test_submitting_a_quiz_stores_the_estimates_and_the_level(roadmap_world):
    learner, quiz = roadmap_world["learner"], roadmap_world["quiz"]
    _answer_all(learner, quiz, right=True)
    stored = LearnerStanding.objects.get(learner=learner)
    assert len(stored.level_probabilities) == 3 and sum(stored.level_probabilities) == pytest.approx(1, abs=1e-3)
    estimate = CompetencyEstimate.objects.get(learner=learner, competency=roadmap_world["sql"])
    assert estimate.answers == 2 and estimate.sources == "quiz" and estimate.quiz_proficiency is not None
    # Query tuning had no question: not assessed, so no stored row.
    assert not CompetencyEstimate.objects.filter(learner=learner, competency=roadmap_world["tuning"]).exists()
    assert learner_standing(user=learner).by_competency[roadmap_world["tuning"].pk].current is None


def test_questions_left_unanswered_are_not_evidence(roadmap_world):
    learner, quiz = roadmap_world["learner"], roadmap_world["quiz"]
    _answer_all(learner, quiz, right=True, count=1)
    estimate = CompetencyEstimate.objects.get(learner=learner, competency=roadmap_world["sql"])
    assert estimate.answers == 1  # the skipped question is not counted as wrong


def test_a_rating_refreshes_the_standing_at_once(roadmap_world):
    learner = roadmap_world["learner"]
    self_rating_record(learner_id=learner.pk, competency=roadmap_world["tuning"], proficiency=3, now=timezone.now())
    estimate = CompetencyEstimate.objects.get(learner=learner, competency=roadmap_world["tuning"])
    assert estimate.sources == "self" and estimate.quiz_proficiency is None
    assert learner_standing(user=learner).assessed


def test_pages_read_the_stored_standing_and_never_run_the_estimator(roadmap_world, client, monkeypatch):
    learner = roadmap_world["learner"]
    _answer_all(learner, roadmap_world["quiz"], right=True)
    SelfRating.objects.create(
        learner=learner, competency=roadmap_world["tuning"], proficiency=2, rated_at=timezone.now()
    )

    def _refuse(*args, **kwargs):
        raise AssertionError("a page ran the estimator while rendering")

    monkeypatch.setattr(standing_module, "posterior", _refuse)
    client.force_login(learner)
    for name in ("dashboard", "results", "self_assessment"):
        assert client.get(reverse(name)).status_code == 200, name
    page = client.get(reverse("results")).content.decode()
    assert "% sure" in page


def _results_row(client, competency_name: str) -> str:
    import re

    body = client.get(reverse("results")).content.decode()
    return re.search(rf'<th scope="row">{competency_name}</th>(.*?)</tr>', body, re.S).group(1)


def test_the_results_page_cached_under_the_standing_shows_every_change(roadmap_world, client):
    from assessments.models import LearnerProfile

    learner, sql = roadmap_world["learner"], roadmap_world["sql"]
    client.force_login(learner)
    client.post(reverse("rate", args=[sql.slug]), {"proficiency": "1"})
    assert "<td>1</td>" in _results_row(client, "SQL querying")
    assert "<td>1</td>" in _results_row(client, "SQL querying")  # served from the cached fragment

    client.post(reverse("rate", args=[sql.slug]), {"proficiency": "3"})  # a new rating: a new stamp
    row = _results_row(client, "SQL querying")
    assert "<td>3</td>" in row and "<td>1</td>" not in row

    # A new target changes the "Target expects" column (Senior expects 3, Backend Developer 2).
    assert row.rstrip().endswith("<td>3</td>")
    LearnerProfile.objects.filter(user=learner).update(target_level=roadmap_world["levels"][1])
    assert _results_row(client, "SQL querying").rstrip().endswith("<td>2</td>")

    # A content change (here, a renamed competency) reaches the page too.
    sql.name = "SQL queries"
    sql.save()
    assert "<td>3</td>" in _results_row(client, "SQL queries")
