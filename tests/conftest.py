import os

# Playwright's sync API runs an event loop in the test thread; the ORM then refuses sync calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from datetime import timedelta  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from assessments.models import LearnerProfile, SelfRating  # noqa: E402
from tests.factories import (  # noqa: E402
    CompetencyFactory,
    ExpectationFactory,
    LevelFactory,
    QuizFactory,
    ResourceFactory,
    UserFactory,
    question_with_choices,
)

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real passwords; test users need no protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache_and_throttle():
    """Each test starts with an empty cache, so cached sessions and login throttling don't leak."""
    from django.core.cache import cache

    import careerpath.cache

    careerpath.cache._paused_until = 0.0  # a test's injected outage must not pause the next test's cache
    cache.clear()
    yield
    careerpath.cache._paused_until = 0.0


@pytest.fixture
def celery_eager():
    """Run tasks in the test's process (Celery's eager mode), to check what a job does."""
    from careerpath.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def learner(client):
    """A signed-in learner."""
    user = UserFactory()
    client.force_login(user)
    return user


@pytest.fixture
def celery_live_worker(transactional_db):
    """A real Celery worker consuming from Redis in this process, seeing the test database."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("needs a broker: run through `make test` (CELERY_BROKER_URL set)")
    from celery.contrib.testing.worker import start_worker

    from careerpath.celery import app

    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def roadmap_world():
    """A learner aiming at Senior, two competencies (one a prerequisite of the other), and a quiz."""
    levels = [
        LevelFactory(slug=s, name=n, order=i)
        for i, (s, n) in enumerate([("junior", "Junior"), ("developer", "Backend Developer"), ("senior", "Senior")], 1)
    ]
    quiz = QuizFactory(title="Databases", retake_after_days=0)
    sql = CompetencyFactory(area=quiz.area, name="SQL querying", order=1)
    tuning = CompetencyFactory(area=quiz.area, name="Query tuning", order=2)
    tuning.prerequisites.add(sql)
    for competency, required in ((sql, (1, 2, 3)), (tuning, (0, 1, 3))):
        for level, proficiency in zip(levels, required, strict=True):
            ExpectationFactory(competency=competency, level=level, proficiency=proficiency)
        for proficiency in sorted(set(required) - {0}):  # one aimed at every proficiency named
            ResourceFactory(competency=competency, proficiency=proficiency, hours=6)
    for n in range(2):
        question_with_choices(quiz=quiz, competency=sql, order=n, text=f"SQL question {n + 1}?")
    learner = UserFactory(username="ada")
    LearnerProfile.objects.create(user=learner, current_level=levels[0], target_level=levels[2])
    return {"learner": learner, "levels": levels, "quiz": quiz, "sql": sql, "tuning": tuning}


def rated(world: dict, proficiency: int = 1) -> dict:
    """The world's learner rated themselves in both competencies (long ago: no recent activity), so
    their plan has learning steps (a competency not assessed yet is a "find out" step)."""
    for competency in (world["sql"], world["tuning"]):
        SelfRating.objects.create(
            learner=world["learner"],
            competency=competency,
            proficiency=proficiency,
            rated_at=timezone.now() - timedelta(days=90),
        )
    return world
