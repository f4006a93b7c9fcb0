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


@pytest.fixture
def learner_history(roadmap_world):
    """The world's learner (ada) with one of every kind of record, mentored by mia, who also mentors
    zoltan: zoltan's records all carry ZSECRET, so that a leak of them is easy to find."""
    from assessments.attempts import attempt_submit
    from assessments.models import Attempt, Mentorship, Response
    from assessments.placement_tests import placement_answer, placement_current, placement_start
    from assessments.profile_card import card_share
    from assessments.ratings import mentor_rating_record, self_rating_record
    from careerpath.tokens import token_create
    from roadmap.comments import comment_post, thread_urls
    from roadmap.compute import roadmap_recompute
    from roadmap.models import RecheckAnswer
    from roadmap.rechecks import recheck_answer_save, recheck_schedule, recheck_submit, rechecks_due_remind
    from tests.factories import MentorFactory, right_choice, wrong_choice

    world = rated(roadmap_world)
    ada, sql, quiz = world["learner"], world["sql"], world["quiz"]
    profile = ada.profile
    profile.time_zone, profile.stack, profile.weekly_hours = "Europe/Berlin", "python", 7
    profile.save()
    mia = MentorFactory(username="mia")
    zoltan = UserFactory(username="zoltan")
    LearnerProfile.objects.create(user=zoltan, current_role="ZSECRET role", target_level=world["levels"][2])
    now = timezone.now()
    for learner in (ada, zoltan):
        Mentorship.objects.create(mentor=mia, learner=learner)
        secret = " ZSECRET" if learner == zoltan else ""
        self_rating_record(learner_id=learner.pk, competency=sql, proficiency=2, now=now)
        attempt = Attempt.objects.create(learner=learner, quiz=quiz, started_at=now - timedelta(minutes=5))
        first, second = quiz.questions.order_by("order")
        for question, choice in ((first, right_choice(first)), (second, wrong_choice(second))):
            Response.objects.create(attempt=attempt, question=question, answered_at=now).choices.set([choice])
        attempt_submit(attempt_id=attempt.pk, now=now)
        mentor_rating_record(
            mentor=mia,
            learner_id=learner.pk,
            competency=sql,
            proficiency=2,
            note="Reviewed the reporting queries PR" + secret,
            evidence_url=f"https://git.example.com/{learner.username}/pr/42",
            now=now,
        )
        roadmap_recompute(learner_id=learner.pk, now=now)
        step = learner.roadmap.steps.filter(kind="learn").order_by("position").first()
        step.set_note("Reading the planner chapter" + secret, shared=True)
        step.link_add(url=f"https://notes.example.com/{learner.username}-sql", title="My SQL notes" + secret)
        own_url, mentor_url = thread_urls(learner_id=learner.pk, competency=sql)
        for author, body, url in (
            (learner, "Which index comes first?", mentor_url),
            (mia, "Start with the slow query log.", own_url),
        ):
            comment_post(author=author, learner_id=learner.pk, competency=sql, body=body + secret, now=now, url=url)
    test = placement_start(learner_id=ada.pk, now=now)
    while (asked := placement_current(test)) is not None:
        placement_answer(
            test_id=test.pk, position=asked.position, choice_ids=[right_choice(asked.question).pk], now=now
        )
        test.refresh_from_db()
    card_share(learner_id=ada.pk, shared=True, now=now)
    recheck = recheck_schedule(step=ada.roadmap.steps.filter(kind="learn").first(), now=now - timedelta(days=40))
    rechecks_due_remind(now=now)
    for answer in RecheckAnswer.objects.filter(recheck=recheck).select_related("question"):
        choice = right_choice(answer.question)
        recheck_answer_save(
            recheck_id=recheck.pk, learner_id=ada.pk, position=answer.position, choice_ids=[choice.pk], now=now
        )
    recheck_submit(recheck_id=recheck.pk, learner_id=ada.pk, now=now)
    token_create(user_id=ada.pk, name="My progress script", scope="read", expires_in_days=90, now=now)
    return {
        **world,
        "mentor": mia,
        "other": zoltan,
        "step": ada.roadmap.steps.exclude(note="").get(),
        "placement": test,
    }
