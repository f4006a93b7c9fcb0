"""Times on a learner's pages are in the learner's zone, named by its abbreviation; UTC until it is known."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.attempts import attempt_submit
from assessments.models import Attempt, LearnerProfile, PlacementTest
from assessments.ratings import self_rating_record
from tests.factories import AttemptFactory, UserFactory, quiz_with_questions

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def _learner(client, time_zone: str = ""):
    user = UserFactory()
    LearnerProfile.objects.create(user=user, time_zone=time_zone)
    client.force_login(user)
    return user


def _timed_attempt(learner) -> Attempt:
    quiz = quiz_with_questions(time_limit_minutes=30)
    return AttemptFactory(learner=learner, quiz=quiz, deadline=timezone.now() + timedelta(minutes=30))


def _pages(client, attempt) -> list[str]:
    urls = [
        reverse("attempt_question", args=[attempt.pk, 1]),
        reverse("attempt_overview", args=[attempt.pk]),
        reverse("dashboard"),
    ]
    return [" ".join(client.get(url).content.decode().split()) for url in urls]


def test_a_learner_in_tokyo_sees_the_attempt_deadline_in_tokyo_time(client):
    attempt = _timed_attempt(_learner(client, "Asia/Tokyo"))
    due = f"{attempt.deadline.astimezone(TOKYO):%H:%M} JST"
    question, overview, dashboard = _pages(client, attempt)
    assert f"Time limit: submit by {due}." in question
    assert f"Submit by {due}." in overview
    assert f"quiz</a> (due {due})" in dashboard


def test_a_learner_whose_zone_is_not_known_sees_the_deadline_in_utc(client):
    attempt = _timed_attempt(_learner(client))
    due = f"{attempt.deadline.astimezone(UTC):%H:%M} UTC"
    question, overview, dashboard = _pages(client, attempt)
    assert f"Time limit: submit by {due}." in question
    assert f"Submit by {due}." in overview
    assert f"quiz</a> (due {due})" in dashboard


def test_the_submission_time_of_a_result_is_in_the_learners_zone(client):
    learner = _learner(client, "Asia/Tokyo")
    attempt = AttemptFactory(learner=learner, quiz=quiz_with_questions(), started_at=timezone.now())
    attempt_submit(attempt_id=attempt.pk, now=datetime(2026, 12, 1, 20, 30, tzinfo=UTC))
    body = client.get(reverse("attempt_results", args=[attempt.pk])).content.decode()
    assert "submitted 02 Dec 2026, 05:30 JST" in body  # the next day in Tokyo


def test_the_retake_date_is_in_the_learners_zone(client):
    learner = _learner(client, "Asia/Tokyo")
    quiz = quiz_with_questions(retake_after_days=7)
    attempt = AttemptFactory(learner=learner, quiz=quiz, started_at=timezone.now() - timedelta(hours=1))
    submitted = timezone.now() - timedelta(minutes=5)
    attempt_submit(attempt_id=attempt.pk, now=submitted)
    response = client.post(reverse("quiz_start", args=[quiz.slug]), follow=True)
    available = (submitted + timedelta(days=7)).astimezone(TOKYO)
    assert f"You can retake this quiz from {available:%d %b %Y, %H:%M} JST." in response.content.decode()


def test_a_cached_results_history_follows_a_change_of_zone(client):
    """The history is a fragment cached under the standing (results.html): a new zone is not a new
    standing, so the zone is part of the key."""
    learner = _learner(client)
    attempt = AttemptFactory(learner=learner, quiz=quiz_with_questions(), started_at=timezone.now())
    attempt_submit(attempt_id=attempt.pk, now=datetime(2026, 12, 1, 20, 30, tzinfo=UTC))
    assert "01 Dec 2026, 20:30" in client.get(reverse("results")).content.decode()
    LearnerProfile.objects.filter(user=learner).update(time_zone="Asia/Tokyo")
    assert "02 Dec 2026, 05:30" in client.get(reverse("results")).content.decode()


def test_a_cached_self_assessment_area_follows_a_change_of_zone(client):
    """ "Last rated" is in the area's competencies, a fragment cached under the standing's stamp."""
    learner = _learner(client)
    quiz = quiz_with_questions(count=1)
    competency = quiz.questions.get().competency
    self_rating_record(
        learner_id=learner.pk, competency=competency, proficiency=2, now=datetime(2026, 12, 1, 20, 30, tzinfo=UTC)
    )
    area = reverse("self_assessment_area", args=[competency.area.slug])
    assert "Last rated 01 Dec 2026, 20:30." in client.get(area).content.decode()
    LearnerProfile.objects.filter(user=learner).update(time_zone="Asia/Tokyo")
    assert "Last rated 02 Dec 2026, 05:30." in client.get(area).content.decode()


def test_an_open_placement_tests_time_limit_is_in_the_learners_zone(client):
    learner = _learner(client, "Asia/Tokyo")
    started = timezone.now()
    test = PlacementTest.objects.create(learner=learner, started_at=started, deadline=started + timedelta(minutes=40))
    body = client.get(reverse("placement")).content.decode()
    assert f"(finish by {test.deadline.astimezone(TOKYO):%H:%M} JST)" in body
