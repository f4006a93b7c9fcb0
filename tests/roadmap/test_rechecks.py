"""Scheduled re-checks: a finished step is asked about again, and a failed re-check reopens it."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from assessments.models import Choice, CompetencyEstimate, LearnerProfile, MentorRating
from assessments.standing import standing_refresh
from roadmap.compute import roadmap_recompute
from roadmap.models import Notification, Recheck, Roadmap, RoadmapRequest, RoadmapStep
from roadmap.rechecks import INTERVALS, recheck_passed, recheck_schedule, rechecks_due_remind
from roadmap.tasks import remind_due_rechecks
from tests.factories import MentorFactory, UserFactory, question_with_choices, right_choice, wrong_choice

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ready(client, roadmap_world, celery_eager):
    roadmap_recompute(learner_id=roadmap_world["learner"].pk, now=timezone.now())
    client.force_login(roadmap_world["learner"])
    roadmap_world["learner"].email = "ada@example.com"
    roadmap_world["learner"].save(update_fields=["email"])
    return roadmap_world


def _sql_step(world) -> RoadmapStep:
    return RoadmapStep.objects.get(competency=world["sql"], milestone=world["levels"][1])


def _done(client, world) -> RoadmapStep:
    step = _sql_step(world)
    client.post(reverse("step_status", args=[step.pk]), {"status": "done"})
    return step


def _due(client, world, django_capture_on_commit_callbacks) -> Recheck:
    """The SQL step done, and the beat run at day 30."""
    _done(client, world)
    with django_capture_on_commit_callbacks(execute=True):
        rechecks_due_remind(now=timezone.now() + timedelta(days=30, minutes=1))
    return Recheck.objects.get(learner=world["learner"])


def _answer(client, recheck: Recheck, pick) -> None:
    for answer in recheck.answers.select_related("question"):
        response = client.post(
            reverse("recheck_answer", args=[recheck.pk, answer.position]), {"choice": pick(answer.question).pk}, **HTMX
        )
        assert response.status_code == 200 and "Saved at" in response.content.decode()


def test_a_step_marked_done_schedules_a_recheck_30_days_out(client, ready):
    before = timezone.now()
    step = _done(client, ready)
    recheck = Recheck.objects.get(learner=ready["learner"])
    assert (recheck.competency, recheck.step, recheck.state) == (ready["sql"], step, Recheck.State.SCHEDULED)
    assert recheck.interval_days == 30 and recheck.proficiency == step.to_proficiency
    assert before + timedelta(days=30) <= recheck.due_at <= timezone.now() + timedelta(days=30)


def test_moving_a_done_step_back_before_it_is_due_drops_its_recheck(client, ready):
    step = _done(client, ready)
    client.post(reverse("step_status", args=[step.pk]), {"status": "doing"})
    assert not Recheck.objects.exists()


def test_nothing_falls_due_before_the_interval(client, ready):
    _done(client, ready)
    assert rechecks_due_remind(now=timezone.now() + timedelta(days=29)) == 0
    assert Recheck.objects.get().state == Recheck.State.SCHEDULED


def test_at_day_30_the_beat_makes_it_due_and_reminds_once_in_app_and_by_email(
    client, ready, django_capture_on_commit_callbacks
):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    assert recheck.state == Recheck.State.OPEN and recheck.reminded_at is not None
    assert recheck.answers.count() == 2  # every SQL question the bank has, up to four
    with django_capture_on_commit_callbacks(execute=True):
        assert rechecks_due_remind(now=timezone.now() + timedelta(days=31)) == 0
    (notification,) = Notification.objects.filter(recipient=ready["learner"], message__contains="re-check")
    assert notification.message == "A re-check is due: SQL querying"
    assert notification.url == reverse("recheck", args=[recheck.pk])
    (email,) = [m for m in mail.outbox if "re-check" in m.subject]
    assert email.to == ["ada@example.com"] and notification.url in email.body


def test_rechecks_due_together_make_one_notification_and_one_email(client, ready, django_capture_on_commit_callbacks):
    _done(client, ready)
    tuning = RoadmapStep.objects.get(competency=ready["tuning"], milestone=ready["levels"][1])
    question_with_choices(quiz=ready["quiz"], competency=ready["tuning"], order=5)
    recheck_schedule(step=tuning, now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert rechecks_due_remind(now=timezone.now() + timedelta(days=31)) == 2
    (notification,) = Notification.objects.filter(recipient=ready["learner"], message__contains="re-check")
    assert notification.message == "2 re-checks are due: SQL querying and Query tuning"
    assert len([m for m in mail.outbox if "re-check" in m.subject]) == 1


def test_the_periodic_task_is_safe_to_run_twice(client, ready):
    _done(client, ready)
    Recheck.objects.update(scheduled_at=timezone.now() - timedelta(days=31), due_at=timezone.now() - timedelta(days=1))
    assert remind_due_rechecks.apply().get() == 1
    assert remind_due_rechecks.apply().get() == 0
    assert Notification.objects.filter(message__contains="re-check").count() == 1


def test_a_due_recheck_shows_on_the_dashboard_and_on_its_roadmap_step(
    client, ready, django_capture_on_commit_callbacks
):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    url = reverse("recheck", args=[recheck.pk])
    assert url in client.get(reverse("dashboard")).content.decode()
    roadmap = client.get(reverse("roadmap")).content.decode()
    assert url in roadmap and "Re-check due" in roadmap


def test_answering_wrong_fails_it_and_reopens_the_step_with_a_note_and_a_recompute(
    client, ready, django_capture_on_commit_callbacks
):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    _answer(client, recheck, wrong_choice)
    response = client.post(reverse("recheck_submit", args=[recheck.pk]), follow=True)
    body = response.content.decode()
    assert "Not passed" in body and "0 of 2 right" in body and "the step is open again" in body
    recheck.refresh_from_db()
    assert recheck.state == Recheck.State.FAILED and (recheck.right, recheck.asked) == (0, 2)
    step = _sql_step(ready)
    assert step.status == RoadmapStep.Status.DOING and "0 of 2 right, so this step is open again" in step.note
    assert RoadmapRequest.objects.pending().filter(learner=ready["learner"], reason="re-check failed").exists()
    assert not Recheck.objects.active().exists()  # the next one comes when the step is done again


def test_answering_right_passes_it_and_schedules_the_90_day_one(client, ready, django_capture_on_commit_callbacks):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    _answer(client, recheck, right_choice)
    revision = Roadmap.objects.get(learner=ready["learner"]).revision
    body = client.post(reverse("recheck_submit", args=[recheck.pk]), follow=True).content.decode()
    assert "Passed" in body and "2 of 2 right" in body and "next re-check is in 90 days" in body
    assert Recheck.objects.get(pk=recheck.pk).state == Recheck.State.PASSED
    (following,) = Recheck.objects.active()
    assert following.interval_days == 90 and following.step_id == recheck.step_id
    assert _sql_step(ready).status == RoadmapStep.Status.DONE
    # The cached roadmap drops the step's "re-check due" even if the recompute keeps the same plan.
    assert Roadmap.objects.get(learner=ready["learner"]).revision > revision


def test_the_answers_count_as_evidence_for_the_standing(client, ready, django_capture_on_commit_callbacks):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    _answer(client, recheck, right_choice)
    client.post(reverse("recheck_submit", args=[recheck.pk]))
    estimate = CompetencyEstimate.objects.get(learner=ready["learner"], competency=ready["sql"])
    assert estimate.answers == 2 and "quiz" in estimate.sources


def test_a_second_submit_changes_nothing(client, ready, django_capture_on_commit_callbacks):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    client.post(reverse("recheck_submit", args=[recheck.pk]))
    body = client.post(reverse("recheck_submit", args=[recheck.pk]), follow=True).content.decode()
    assert "already submitted" in body and Recheck.objects.filter(state=Recheck.State.FAILED).count() == 1


def test_the_pass_rule_is_three_in_four():
    assert recheck_passed(right=3, asked=4) and not recheck_passed(right=2, asked=4)
    assert recheck_passed(right=2, asked=2) and not recheck_passed(right=1, asked=2)
    assert not recheck_passed(right=0, asked=0)
    assert INTERVALS == (30, 90, 180)


def test_another_learner_gets_404(client, ready, django_capture_on_commit_callbacks):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    client.force_login(UserFactory())
    assert client.get(reverse("recheck", args=[recheck.pk])).status_code == 404
    assert client.post(reverse("recheck_answer", args=[recheck.pk, 1]), {"choice": 1}).status_code == 404
    assert client.post(reverse("recheck_submit", args=[recheck.pk])).status_code == 404
    assert Recheck.objects.get(pk=recheck.pk).state == Recheck.State.OPEN


def test_correctness_is_not_in_the_page_before_submission(client, ready, django_capture_on_commit_callbacks):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    _answer(client, recheck, right_choice)
    body = client.get(reverse("recheck", args=[recheck.pk])).content.decode()
    assert "SQL question 1?" in body and "Right 0" in body
    for marker in ("is_correct", "correct", "Because the documentation", "explanation"):
        assert marker not in body


def test_a_bad_choice_is_a_clear_400_never_a_500(client, ready, django_capture_on_commit_callbacks):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    url = reverse("recheck_answer", args=[recheck.pk, 1])
    other = Choice.objects.exclude(question=recheck.answers.get(position=1).question).first()
    for data in ({"choice": "x"}, {"choice": "99999999999999999999"}, {"choice": other.pk}, {}):
        response = client.post(url, data, **HTMX)
        assert response.status_code == 400 and "Not saved" in response.content.decode()
    plain = client.post(url, {"choice": other.pk})
    assert plain.status_code == 400 and "does not belong to this question" in plain.content.decode()
    assert client.post(reverse("recheck_answer", args=[recheck.pk, 9]), {"choice": other.pk}).status_code == 400


def test_a_plain_form_save_works_without_javascript(client, ready, django_capture_on_commit_callbacks):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    answer = recheck.answers.select_related("question").get(position=1)
    response = client.post(
        reverse("recheck_answer", args=[recheck.pk, 1]), {"choice": right_choice(answer.question).pk}
    )
    assert response.status_code == 302 and response.url.endswith("#question-1")
    answer.refresh_from_db()
    assert answer.correct is True and answer.answered_at is not None


def test_the_standing_meeting_the_target_schedules_a_recheck_once(roadmap_world):
    learner = roadmap_world["learner"]
    LearnerProfile.objects.filter(user=learner).update(target_level=roadmap_world["levels"][1])
    MentorRating.objects.create(
        learner=learner, mentor=MentorFactory(), competency=roadmap_world["sql"], proficiency=4, rated_at=timezone.now()
    )
    standing_refresh(learner_id=learner.pk, now=timezone.now())
    standing_refresh(learner_id=learner.pk, now=timezone.now())
    (recheck,) = Recheck.objects.all()
    assert (recheck.competency, recheck.step, recheck.proficiency) == (roadmap_world["sql"], None, 2)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_schedules_leave_one_active_recheck(roadmap_world):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    roadmap_recompute(learner_id=roadmap_world["learner"].pk, now=timezone.now())
    step = _sql_step(roadmap_world)
    barrier = threading.Barrier(2)

    def schedule(_) -> None:
        try:
            barrier.wait(timeout=30)
            recheck_schedule(step=step, now=timezone.now())
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(schedule, range(2)))
    assert Recheck.objects.active().filter(learner=roadmap_world["learner"]).count() == 1


def test_submitting_the_page_saves_every_pick_it_sends_so_none_is_lost_without_javascript(
    client, ready, django_capture_on_commit_callbacks
):
    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    page = client.get(reverse("recheck", args=[recheck.pk])).content.decode()
    picks = {}
    for answer in recheck.answers.select_related("question"):
        assert f'name="choice-{answer.position}"' in page
        picks[f"choice-{answer.position}"] = right_choice(answer.question).pk
    body = client.post(reverse("recheck_submit", args=[recheck.pk]), picks, follow=True).content.decode()
    assert "Passed" in body and "2 of 2 right" in body
    bad = client.post(reverse("recheck_submit", args=[Recheck.objects.active().get().pk]), {"choice-1": "x"})
    assert bad.status_code in (302, 400)  # the next one is not open yet: nothing to save, never a 500


def test_a_step_marked_done_through_the_api_schedules_its_recheck_as_the_page_does(client, ready):
    from careerpath.tokens import token_create

    _, secret = token_create(user_id=ready["learner"].pk, name="script", scope="write", now=timezone.now())
    step = _sql_step(ready)
    url = f"/api/v1/me/roadmap/steps/{step.pk}"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}", "content_type": "application/json"}
    assert client.patch(url, {"status": "done"}, **auth).status_code == 200
    (recheck,) = Recheck.objects.active()
    assert recheck.step_id == step.pk and recheck.interval_days == INTERVALS[0]
    assert client.patch(url, {"status": "doing"}, **auth).status_code == 200
    assert not Recheck.objects.active().exists()


def test_while_a_recheck_is_open_an_earlier_review_and_the_export_keep_its_key_hidden(
    client, ready, django_capture_on_commit_callbacks
):
    from assessments.attempts import answer_save, attempt_start, attempt_submit

    learner, quiz, now = ready["learner"], ready["quiz"], timezone.now()
    attempt = attempt_start(learner_id=learner.pk, quiz=quiz, now=now)
    for question in quiz.questions.all():
        answer_save(attempt_id=attempt.pk, question_id=question.pk, choice_ids=[right_choice(question).pk], now=now)
    attempt_submit(attempt_id=attempt.pk, now=now)
    review = reverse("attempt_results", args=[attempt.pk])
    assert "· correct" in client.get(review).content.decode()

    recheck = _due(client, ready, django_capture_on_commit_callbacks)
    asked = set(recheck.answers.values_list("question_id", flat=True))
    assert asked <= set(quiz.questions.values_list("pk", flat=True))  # the same questions as the quiz
    body = client.get(review).content.decode()
    assert "· correct" not in body and "your re-check of SQL querying" in body
    exported = client.get(reverse("export_json")).json()["records"]["attempt_answers"]
    assert exported and all(row["right"] is None for row in exported)

    _answer(client, recheck, right_choice)
    client.post(reverse("recheck_submit", args=[recheck.pk]))
    assert "· correct" in client.get(review).content.decode()  # back once the re-check is submitted
