"""What a learner has been doing, as the dashboard shows it: quizzes taken, attempts open, the
latest attempts and ratings. Two written-out statements (prepared once per connection): the
ORM's four took longer to build than to run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from careerpath.sql import written_out

from .content import content_load
from .models import Attempt, LearnerActivity, SelfRating

# The open attempts, the five latest and each quiz's last submitted one: never more rows than open
# attempts + 5 + quizzes, whatever the history.
_ATTEMPTS = """
WITH recent AS (
    SELECT r.id FROM assessments_attempt r WHERE r.learner_id = %s ORDER BY r.started_at DESC, r.id DESC LIMIT 5
)
SELECT {a.*}, q.title AS quiz_title, a.id IN (SELECT id FROM recent) AS recent
FROM assessments_attempt a JOIN assessments_quiz q ON q.id = a.quiz_id
WHERE a.learner_id = %s AND (
    a.state = 'open'
    OR a.id IN (SELECT id FROM recent)
    OR a.id IN (SELECT max(s.id) FROM assessments_attempt s WHERE s.learner_id = %s AND s.state = 'submitted' GROUP BY s.quiz_id)
)
ORDER BY a.started_at DESC, a.id DESC
"""
_RATINGS = """
SELECT {r.*} FROM assessments_selfrating r WHERE learner_id = %s ORDER BY rated_at DESC, id DESC LIMIT 5
"""


@dataclass(frozen=True)
class Activity:
    taken_quiz_ids: set[int]  # quizzes with a submitted attempt
    open_attempts: list[Attempt]  # newest first; each with ``quiz_title``
    recent_attempts: list[Attempt]
    recent_ratings: list[SelfRating]  # with their competency (from the held content)


def learner_activity(*, learner_id: int) -> Activity:
    attempts = list(Attempt.objects.raw(written_out(_ATTEMPTS, a=Attempt), [learner_id] * 3))
    ratings = list(SelfRating.objects.raw(written_out(_RATINGS, r=SelfRating), [learner_id]))
    competencies = {c.pk: c for area in content_load().areas for c in area.competencies.all()}
    for rating in ratings:
        if rating.competency_id in competencies:  # one added since the content was read loads itself
            SelfRating.competency.field.set_cached_value(rating, competencies[rating.competency_id])
    return Activity(
        taken_quiz_ids={a.quiz_id for a in attempts if a.state == Attempt.State.SUBMITTED},
        open_attempts=[a for a in attempts if a.is_open],
        recent_attempts=[a for a in attempts if a.recent],
        recent_ratings=ratings,
    )


def activity_record(*, learner_id: int, now: datetime) -> None:
    """Remember that the learner did something now (a self-rating; an answer records it in the
    statement that saves it, ``attempts._ANSWER_WRITE``)."""
    LearnerActivity.objects.bulk_create(
        [LearnerActivity(learner_id=learner_id, last_active_at=now)],
        update_conflicts=True,
        unique_fields=["learner"],
        update_fields=["last_active_at"],
    )
