"""Learners as real ones look, for `make bench`: run inside Django (scripts/bench.py calls ``seed``).

- ``bench``: 13 quizzes submitted (about 60% right), 104 self-ratings (every competency, some twice),
  a target two levels up, a roadmap, and an open attempt on a 28-question quiz.
- ``mentor10`` with 10 mentees and ``mentor500`` with 500 (``bench`` among both), each mentee with a
  few ratings and a roadmap, so the mentor dashboard is measured at two sizes.
"""

from __future__ import annotations

import random

from django.contrib.auth.models import Group, User
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from assessments.attempts import answer_save, attempt_start, attempt_submit
from assessments.models import Competency, LearnerProfile, Level, Mentorship, Quiz, SelfRating
from assessments.ratings import self_rating_record
from assessments.standing import standing_refresh
from roadmap.requests import roadmap_request

PASSWORD = "bench-pass-123"  # noqa: S105 - a throwaway database on loopback
OPEN_QUIZ_QUESTIONS = 28


def _user(username: str) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@bench.local"})
    user.set_password(PASSWORD)
    user.save()
    return user


def _take(learner: User, quiz: Quiz, rng: random.Random, *, submit: bool) -> None:
    attempt = attempt_start(learner_id=learner.pk, quiz=quiz, now=timezone.now())
    for question in quiz.questions.order_by("order", "pk").prefetch_related("choices"):
        choices = [c for c in question.choices.all() if not c.retired]
        right = [c.pk for c in choices if c.is_correct]
        picked = right if rng.random() < 0.6 else [rng.choice(choices).pk]
        answer_save(attempt_id=attempt.pk, question_id=question.pk, choice_ids=picked[:1], now=timezone.now())
    if submit:
        attempt_submit(attempt_id=attempt.pk, now=timezone.now())


def seed() -> None:
    if User.objects.filter(username="bench").exists():
        return
    rng = random.Random(7)  # noqa: S311 - reproducible bench data, not secrets
    levels = list(Level.objects.order_by("order"))
    competencies = list(Competency.objects.order_by("pk"))
    quizzes = list(Quiz.objects.annotate(n=Count("questions")).order_by("pk"))
    open_quiz = min(quizzes, key=lambda q: abs(q.n - OPEN_QUIZ_QUESTIONS))

    bench = _user("bench")
    LearnerProfile.objects.update_or_create(
        user=bench, defaults={"current_level": levels[1], "target_level": levels[3], "years_experience": 4}
    )
    for n, competency in enumerate(competencies + competencies[: 104 - len(competencies)]):
        self_rating_record(learner_id=bench.pk, competency=competency, proficiency=(n * 7) % 5, now=timezone.now())
    for quiz in [q for q in quizzes if q != open_quiz][:13]:
        _take(bench, quiz, rng, submit=True)
    _take(bench, open_quiz, rng, submit=False)

    mentors = Group.objects.get_or_create(name="Mentors")[0]
    for name, count in (("mentor10", 10), ("mentor500", 500)):
        mentor = _user(name)
        mentor.groups.add(mentors)
        Mentorship.objects.get_or_create(mentor=mentor, learner=bench)
        for n in range(count - 1):
            mentee = User.objects.create(username=f"{name}-mentee{n:03d}", email=f"{name}-{n}@bench.local")
            LearnerProfile.objects.create(user=mentee, current_level=levels[0], target_level=levels[2])
            Mentorship.objects.create(mentor=mentor, learner=mentee)
            # Three ratings at once, then one refresh and one recompute (as three quick ratings end up).
            SelfRating.objects.bulk_create(
                [
                    SelfRating(learner=mentee, competency=c, proficiency=rng.randint(0, 4), rated_at=timezone.now())
                    for c in rng.sample(competencies, 3)
                ]
            )
            standing_refresh(learner_id=mentee.pk, now=timezone.now())
            roadmap_request(learner_id=mentee.pk, reason="self-rating", now=timezone.now())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def open_attempt_path() -> tuple[str, str, str]:
    """The bench learner's open attempt: the question page, its answer URL and a choice id to post."""
    from assessments.models import Attempt

    attempt = Attempt.objects.filter(learner__username="bench", state=Attempt.State.OPEN).first()
    if attempt is None:  # a bench database kept from an earlier run, whose time limit closed the attempt
        attempt = Attempt.objects.filter(learner__username="bench", auto_submitted=True).latest("started_at")
        attempt.state, attempt.submitted_at, attempt.auto_submitted, attempt.score = (
            Attempt.State.OPEN,
            None,
            False,
            None,
        )
    now = timezone.now()  # the time limit restarts with each run
    attempt.started_at, attempt.deadline = now, attempt.quiz.deadline_from(now)
    attempt.save()
    question = attempt.quiz.questions.order_by("order", "pk")[1]
    choice = question.choices.filter(retired=False).first()
    return f"/attempts/{attempt.pk}/q/2/", f"/attempts/{attempt.pk}/q/2/answer/", str(choice.pk)
