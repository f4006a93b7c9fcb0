"""Tasks run by a real Celery worker through the broker, against the test database."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Attempt
from assessments.tasks import close_expired_attempts
from tests.factories import AttemptFactory, question_with_choices
from tests.waiting import wait_for


@pytest.mark.django_db(transaction=True)
def test_a_worker_closes_attempts_past_their_deadline(celery_live_worker):
    question = question_with_choices()
    started = timezone.now() - timedelta(hours=2)
    expired = AttemptFactory(quiz=question.quiz, started_at=started, deadline=started + timedelta(minutes=30))
    running = AttemptFactory(
        quiz=question.quiz, started_at=timezone.now(), deadline=timezone.now() + timedelta(hours=1)
    )

    # The app keeps no task results (no result backend): wait for what the job does.
    result = close_expired_attempts.delay()
    wait_for(
        lambda: Attempt.objects.filter(pk=expired.pk, state=Attempt.State.SUBMITTED).exists(),
        what="the worker to close the expired attempt",
    )
    print(f"task {result.id} executed by worker {celery_live_worker.hostname}")

    expired.refresh_from_db()
    running.refresh_from_db()
    assert expired.state == Attempt.State.SUBMITTED and expired.auto_submitted
    assert expired.score == 0.0
    assert running.state == Attempt.State.OPEN
