"""The database itself refuses data that breaks the model's invariants."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Attempt, Expectation, Mentorship, Response, SelfRating
from tests.factories import (
    AttemptFactory,
    CompetencyFactory,
    ExpectationFactory,
    LevelFactory,
    QuestionFactory,
    ResourceFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _refused(create) -> bool:
    try:
        with transaction.atomic():
            create()
    except IntegrityError:
        return True
    return False


def test_one_expectation_per_competency_and_level():
    cell = ExpectationFactory()
    assert _refused(lambda: Expectation.objects.create(competency=cell.competency, level=cell.level, proficiency=1))


@pytest.mark.parametrize("proficiency", [5, 9])
def test_expectation_proficiency_is_in_range(proficiency):
    assert _refused(lambda: ExpectationFactory(proficiency=proficiency))


def test_self_rating_proficiency_is_in_range():
    user, competency = UserFactory(), CompetencyFactory()
    assert _refused(
        lambda: SelfRating.objects.create(learner=user, competency=competency, proficiency=7, rated_at=timezone.now())
    )


def test_resource_needs_positive_hours():
    assert _refused(lambda: ResourceFactory(hours=0))


def test_one_response_per_question_per_attempt():
    attempt = AttemptFactory()
    question = QuestionFactory(quiz=attempt.quiz)
    Response.objects.create(attempt=attempt, question=question, answered_at=timezone.now())
    assert _refused(lambda: Response.objects.create(attempt=attempt, question=question, answered_at=timezone.now()))


def test_only_one_open_attempt_per_learner_and_quiz():
    attempt = AttemptFactory()
    assert _refused(lambda: AttemptFactory(learner=attempt.learner, quiz=attempt.quiz))


def test_submitted_attempts_do_not_block_a_new_one():
    attempt = AttemptFactory()
    attempt.submit(now=timezone.now(), score=0.5)
    assert not _refused(lambda: AttemptFactory(learner=attempt.learner, quiz=attempt.quiz))


def test_a_submitted_attempt_needs_a_submission_time():
    assert _refused(lambda: AttemptFactory(state=Attempt.State.SUBMITTED))


def test_score_is_a_fraction():
    assert _refused(lambda: AttemptFactory(state=Attempt.State.SUBMITTED, submitted_at=timezone.now(), score=1.5))


def test_question_difficulty_is_in_range():
    assert _refused(lambda: QuestionFactory(difficulty=6))


def test_a_mentor_cannot_mentor_themselves():
    user = UserFactory()
    assert _refused(lambda: Mentorship.objects.create(mentor=user, learner=user))


def test_one_active_mentorship_per_pair():
    mentor, learner = UserFactory(), UserFactory()
    Mentorship.objects.create(mentor=mentor, learner=learner)
    assert _refused(lambda: Mentorship.objects.create(mentor=mentor, learner=learner))
    Mentorship.objects.filter(mentor=mentor).update(active=False)
    assert not _refused(lambda: Mentorship.objects.create(mentor=mentor, learner=learner))


def test_level_order_is_unique():
    LevelFactory(order=1)
    assert _refused(lambda: LevelFactory(order=1, slug="other"))
