"""The demo that `make run` seeds: three users, and a learner with something to look at."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone

from assessments.content_files import DEFAULT_CONTENT_DIR, bundle_read
from assessments.content_sync import content_import
from assessments.models import Attempt, Mentorship, SelfRating
from careerpath.roles import is_mentor
from roadmap.compute import roadmap_recompute
from roadmap.models import Roadmap, RoadmapRequest

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_roles_and_a_learner_with_history_once(settings, capsys):
    settings.DEBUG = True
    content_import(bundle_read(DEFAULT_CONTENT_DIR))
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "learner  username: learner  password: learner-demo-pass" in out
    learner, mentor, admin = (User.objects.get(username=u) for u in ("learner", "mentor", "admin"))
    assert is_mentor(mentor) and admin.is_superuser and not learner.is_staff
    assert Mentorship.objects.active().filter(mentor=mentor, learner=learner).count() == 1
    assert SelfRating.objects.filter(learner=learner).count() > 10
    attempt = Attempt.objects.get(learner=learner)
    assert attempt.state == "submitted" and 0 < attempt.score < 1
    assert RoadmapRequest.objects.filter(learner=learner, reason="quiz submitted").exists()
    assert roadmap_recompute(learner_id=learner.pk, now=timezone.now()) == "updated"
    assert Roadmap.objects.get(learner=learner).steps.count() > 10


def test_the_demo_refuses_to_run_with_debug_off(settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="refusing"):
        call_command("seed_demo")


@pytest.mark.django_db(transaction=True)  # commits as `make run` does: the recompute runs inside the command
def test_the_demo_prints_its_credentials_without_task_logs_above_them(settings, caplog):
    """`make run` runs tasks eagerly: their logs must not bury the credentials."""
    from careerpath.celery import app

    settings.DEBUG = True
    content_import(bundle_read(DEFAULT_CONTENT_DIR))
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with caplog.at_level("INFO"):
            call_command("seed_demo")
    finally:
        app.conf.task_always_eager = eager
    assert not [r for r in caplog.records if r.name.startswith(("celery", "kombu")) and r.levelno < 40]
