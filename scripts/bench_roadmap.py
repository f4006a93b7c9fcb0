"""Roadmap speed for `make bench`: the pure planner, and recomputing many learners through Celery.

Run inside Django (scripts/bench.py calls these).

- ``planner_rate``: plans per second on one core on the shipped matrix, for learners drawn at every
  level (each competency near their level's expectation, one in ten not assessed yet, a target one
  or two levels up, one of four stacks). The first pass compiles the matrix per (target, stack);
  the figure is the steady state a worker reaches after its first chunk (best of five passes, as
  timeit does: this machine's other load only slows a pass), the first pass printed too.
- ``recompute_seed``: ``RECOMPUTE_LEARNERS`` learners as a content import finds them: a profile with
  a target, a dozen self-ratings and a submitted quiz each, no roadmap yet (bulk-inserted once).
"""

from __future__ import annotations

import random
import time

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from assessments.content import content_load
from assessments.models import Attempt, LearnerProfile, Level, Question, Quiz, Response, SelfRating
from roadmap.compute import planner_matrix
from roadmap.planner import build_plan

RECOMPUTE_LEARNERS = 10_000
PREFIX = "rc"  # usernames rc00000 ...
STACKS = ("", "python", "java", "go")
PASSES = 6  # the first compiles; the best of the others is the steady state (this machine is noisy)


def _learners(matrix, count: int, rng: random.Random) -> list[tuple[dict[int, int], int, str]]:
    levels = matrix.levels
    learners = []
    for _ in range(count):
        level = rng.randrange(len(levels) - 1)
        estimates = {}
        for cid, competency in matrix.competencies.items():
            if rng.random() < 0.1:
                continue  # not assessed yet
            expected = competency.required.get(levels[level].id, 0)
            estimates[cid] = max(0, min(4, expected + rng.choice((-1, 0, 0, 1))))
        target = levels[min(len(levels) - 1, level + 1 + rng.randrange(2))].id
        learners.append((estimates, target, rng.choice(STACKS)))
    return learners


def planner_rate(count: int = 5000) -> str:
    matrix, _ = planner_matrix(content_load(fresh=True))
    learners = _learners(matrix, count, random.Random(1))  # noqa: S311 - bench data
    rates, steps = [], 0
    for _ in range(PASSES):
        started = time.perf_counter()
        for estimates, target, stack in learners:
            steps += len(build_plan(estimates=estimates, matrix=matrix, target_id=target, stack=stack).steps)
        rates.append(count / (time.perf_counter() - started))
    return (
        f"planner: {max(rates[1:]):.0f} plans/s/core ({count} learners, {steps / PASSES / count:.0f} steps a plan, "
        f"best of {PASSES - 1} passes; the first, compiling each target and stack: {rates[0]:.0f} plans/s)"
    )


def recompute_seed(count: int = RECOMPUTE_LEARNERS) -> int:
    """Bulk-insert the learners once; returns how many there are."""
    existing = User.objects.filter(username__startswith=PREFIX).count()
    if existing >= count:
        return existing
    rng = random.Random(11)  # noqa: S311 - bench data
    levels = list(Level.objects.order_by("order"))
    competencies = list(Question.objects.values_list("competency_id", flat=True).distinct())
    quizzes = list(Quiz.objects.annotate(n=Count("questions")).filter(n__gt=0).order_by("pk"))
    questions: dict[int, list[tuple[int, list[int], int]]] = {}
    for quiz in quizzes:
        rows = []
        for question in quiz.questions.prefetch_related("choices"):
            choices = [c for c in question.choices.all() if not c.retired]
            rows.append((question.pk, [c.pk for c in choices if c.is_correct], rng.choice(choices).pk))
        questions[quiz.pk] = rows
    now = timezone.now()
    with transaction.atomic():
        users = User.objects.bulk_create(
            [User(username=f"{PREFIX}{n:05d}", email=f"{PREFIX}{n:05d}@bench.local") for n in range(existing, count)]
        )
        LearnerProfile.objects.bulk_create(
            [
                LearnerProfile(user=user, target_level=levels[min(len(levels) - 1, 1 + n % 4)], stack=STACKS[n % 4])
                for n, user in enumerate(users)
            ]
        )
        ratings, attempts = [], []
        for user in users:
            level = rng.randrange(len(levels))
            for cid in rng.sample(competencies, 12):
                ratings.append(
                    SelfRating(
                        learner=user, competency_id=cid, proficiency=min(4, level + rng.randrange(2)), rated_at=now
                    )
                )
            quiz = rng.choice(quizzes)
            attempts.append(
                Attempt(learner=user, quiz=quiz, started_at=now, state="submitted", submitted_at=now, score=0.5)
            )
        SelfRating.objects.bulk_create(ratings, batch_size=5000)
        Attempt.objects.bulk_create(attempts, batch_size=5000)
        responses, picks = [], []
        for attempt in attempts:
            for question_id, right, wrong in questions[attempt.quiz_id]:
                responses.append(Response(attempt=attempt, question_id=question_id, answered_at=now))
                picks.append(right if rng.random() < 0.6 else [wrong])
        Response.objects.bulk_create(responses, batch_size=5000)
        through = Response.choices.through
        through.objects.bulk_create(
            [
                through(response_id=r.pk, choice_id=c)
                for r, chosen in zip(responses, picks, strict=True)
                for c in chosen
            ],
            batch_size=10000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return count


def recompute_reset() -> None:
    """Forget the seeded learners' standings and roadmaps: the next run computes everything."""
    from assessments.models import CompetencyEstimate, LearnerStanding
    from roadmap.models import Roadmap, RoadmapRequest

    learners = User.objects.filter(username__startswith=PREFIX)
    RoadmapRequest.objects.filter(learner__in=learners).delete()
    Roadmap.objects.filter(learner__in=learners).delete()
    CompetencyEstimate.objects.filter(learner__in=learners).delete()
    LearnerStanding.objects.filter(learner__in=learners).delete()


def content_change(delta: int) -> None:
    """An admin's change that reaches every plan without touching the measurement: every resource
    takes ``delta`` hours more (so every step's hours change)."""
    from django.db.models import F

    from assessments.content import content_changed
    from assessments.models import Resource

    Resource.objects.update(hours=F("hours") + delta)
    content_changed()


def recompute_run(timeout: float = 600) -> str:
    """Ask for every learner's recompute (as a content import does) and wait for the workers."""
    from roadmap.models import RoadmapRequest
    from roadmap.requests import roadmaps_request_all

    started = time.monotonic()
    count = roadmaps_request_all(reason="bench", now=timezone.now())
    requested = time.monotonic() - started
    while RoadmapRequest.objects.pending().exists():
        if time.monotonic() - started > timeout:
            return f"{count} timeout"
        time.sleep(0.2)
    elapsed = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the pages' next bench reads these tables
    return f"{count} {elapsed:.1f} {requested:.1f}"
