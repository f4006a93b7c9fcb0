"""Roadmap jobs through Redis and real Celery workers, on the test database."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu import Connection

from careerpath.celery import app
from roadmap.models import Roadmap, RoadmapRequest, RoadmapStep
from roadmap.requests import roadmap_request
from roadmap.tasks import recompute_roadmap, sweep_roadmap_requests
from tests.factories import right_choice
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def _ready_version(learner, above: int = 0):
    roadmap = Roadmap.objects.filter(learner=learner, status="ready", version__gt=above).first()
    return roadmap


def test_submitting_an_attempt_yields_a_ready_roadmap(client, roadmap_world, celery_live_worker):
    learner, quiz = roadmap_world["learner"], roadmap_world["quiz"]
    client.force_login(learner)
    client.post(reverse("quiz_start", args=[quiz.slug]))
    attempt = learner.attempts.get()
    question = quiz.questions.order_by("order").first()
    client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": [right_choice(question).pk]})
    client.post(reverse("attempt_submit", args=[attempt.pk]))

    roadmap = wait_for(lambda: _ready_version(learner), what="the roadmap to be ready")
    assert {s.competency_id for s in roadmap.steps.all()} == {roadmap_world["sql"].pk, roadmap_world["tuning"].pk}
    assert not RoadmapRequest.objects.pending().exists()
    print(f"roadmap v{roadmap.version} computed by worker {celery_live_worker.hostname}")


def test_a_request_made_while_the_broker_is_unreachable_is_completed_once_it_is_back(
    roadmap_world, monkeypatch, celery_live_worker
):
    learner = roadmap_world["learner"]
    unreachable = Connection("redis://127.0.0.1:1/0", connect_timeout=0.5)
    monkeypatch.setattr(
        recompute_roadmap, "delay", lambda *args: recompute_roadmap.apply_async(args, connection=unreachable)
    )
    roadmap_request(learner_id=learner.pk, reason="self-rating", now=timezone.now())
    request = RoadmapRequest.objects.get(learner=learner)
    assert request.done_at is None, "the request survives the failed send"
    assert Roadmap.objects.get(learner=learner).status == "computing"

    monkeypatch.undo()  # the broker is back; the periodic sweep picks up what is still pending
    RoadmapRequest.objects.filter(pk=request.pk).update(requested_at=timezone.now() - timezone.timedelta(minutes=1))
    sweep_roadmap_requests.delay()

    wait_for(lambda: _ready_version(learner), what="the swept request to be completed")
    request.refresh_from_db()
    assert request.done_at is not None


def _test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_a_job_whose_worker_dies_is_completed_by_another(roadmap_world):
    if connection.vendor != "postgresql" or settings.CELERY_TASK_ALWAYS_EAGER:
        pytest.skip("needs PostgreSQL, Redis and a worker process (make test)")
    learner = roadmap_world["learner"]
    app.control.purge()
    roadmap_request(learner_id=learner.pk, reason="quiz submitted", now=timezone.now())  # queued, no worker yet

    # Hold the learner's roadmap row so the first worker's job blocks mid-way, inside its transaction.
    lock = psycopg.connect(_test_database_url().replace("postgres://", "postgresql://"), autocommit=False)
    lock.execute("SELECT id FROM roadmap_roadmap WHERE learner_id = %s FOR UPDATE", [learner.pk])

    env = {**os.environ, "DATABASE_URL": _test_database_url(), "DJANGO_SETTINGS_MODULE": "careerpath.settings"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "careerpath", "worker", "--pool", "solo", "--concurrency", "1",
         "--without-heartbeat", "--without-mingle", "--without-gossip", "--loglevel", "WARNING", "-n", "doomed@%h"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        # Asked from Django's autocommit connection: inside a transaction the activity view is a snapshot.
        waiting = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'"

        def job_is_blocked() -> bool:
            with connection.cursor() as cursor:
                cursor.execute(waiting, [connection.settings_dict["NAME"]])
                return cursor.fetchone()[0] > 0

        wait_for(job_is_blocked, timeout=60, what="the first worker to be inside the job")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
        lock.rollback()
        lock.close()

    assert Roadmap.objects.get(learner=learner).version == 0, "the killed job saved nothing"
    # The message was never acknowledged: Redis hands it to the next worker after the visibility timeout.
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        roadmap = wait_for(lambda: _ready_version(learner), timeout=90, what="another worker to finish the job")
    assert roadmap.version == 1 and roadmap.steps.count() == 4  # two competencies, two milestones each
    assert not RoadmapRequest.objects.pending().exists()


def test_a_recompute_through_the_worker_keeps_done_and_skipped_steps_and_notes(
    client, roadmap_world, celery_live_worker
):
    learner = roadmap_world["learner"]
    roadmap_request(learner_id=learner.pk, reason="target changed", now=timezone.now())
    first = wait_for(lambda: _ready_version(learner), what="the first version")
    RoadmapStep.objects.filter(competency=roadmap_world["sql"]).update(status="done")
    RoadmapStep.objects.filter(competency=roadmap_world["tuning"]).update(
        status="skipped", note="Later, after the move"
    )

    client.force_login(learner)
    client.post(reverse("rate", args=[roadmap_world["sql"].slug]), {"proficiency": "2"})
    second = wait_for(lambda: _ready_version(learner, above=first.version), what="the recomputed version")

    assert second.version == first.version + 1
    statuses = {(s.competency_id, s.status, s.note) for s in second.steps.all()}
    assert (roadmap_world["sql"].pk, "done", "") in statuses
    assert (roadmap_world["tuning"].pk, "skipped", "Later, after the move") in statuses
    assert {status for _, status, _ in statuses} == {"done", "skipped"}
