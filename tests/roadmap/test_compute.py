"""Computing a roadmap in-process: versions, idempotency, carry-over of statuses and notes."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments.content_files import bundle_write
from assessments.content_sync import content_export
from assessments.models import LearnerProfile, MentorRating, SelfRating
from roadmap.compute import roadmap_recompute, roadmaps_recompute
from roadmap.models import Roadmap, RoadmapRequest, RoadmapStep
from tests.factories import AdminFactory, MentorFactory, UserFactory, question_with_choices

pytestmark = pytest.mark.django_db


def test_a_recompute_builds_the_steps_in_prerequisite_order(roadmap_world):
    assert roadmap_recompute(learner_id=roadmap_world["learner"].pk, now=timezone.now()) == "updated"
    roadmap = Roadmap.objects.get(learner=roadmap_world["learner"])
    assert (roadmap.status, roadmap.version, roadmap.target_level.name) == ("ready", 1, "Senior")
    assert [
        (s.milestone.name, s.competency.name, s.from_proficiency, s.to_proficiency) for s in roadmap.steps.all()
    ] == [
        ("Backend Developer", "SQL querying", 1, 2),
        ("Backend Developer", "Query tuning", 0, 1),
        ("Senior", "SQL querying", 2, 3),
        ("Senior", "Query tuning", 1, 3),
    ]
    assert all(s.resource_ids for s in roadmap.steps.all())


def test_an_unassessed_competency_is_a_find_out_step(roadmap_world):
    SelfRating.objects.filter(competency=roadmap_world["tuning"]).delete()
    roadmap_recompute(learner_id=roadmap_world["learner"].pk, now=timezone.now())
    steps = list(Roadmap.objects.get(learner=roadmap_world["learner"]).steps.all())
    assert [(s.competency.name, s.kind, s.milestone.name) for s in steps][:1] == [
        ("Query tuning", "assess", "Backend Developer")
    ]
    assert [s.competency.name for s in steps if s.kind == "learn"] == ["SQL querying", "SQL querying"]


def test_the_same_inputs_make_no_new_version(roadmap_world):
    learner_id = roadmap_world["learner"].pk
    roadmap_recompute(learner_id=learner_id, now=timezone.now())
    assert roadmap_recompute(learner_id=learner_id, now=timezone.now()) == "unchanged"
    assert Roadmap.objects.get(learner_id=learner_id).version == 1
    assert RoadmapStep.objects.count() == 4


def test_statuses_and_notes_carry_over_to_the_new_version(roadmap_world):
    learner = roadmap_world["learner"]
    roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    senior = roadmap_world["levels"][2]
    sql = RoadmapStep.objects.get(competency=roadmap_world["sql"], milestone=senior)
    sql.set_status("done", now=timezone.now())
    tuning = RoadmapStep.objects.get(competency=roadmap_world["tuning"], milestone=senior)
    tuning.note = "Read the EXPLAIN chapter"
    tuning.note_shared = True
    tuning.save()
    tuning.set_status("skipped", now=timezone.now())

    SelfRating.objects.create(learner=learner, competency=roadmap_world["sql"], proficiency=3, rated_at=timezone.now())
    assert roadmap_recompute(learner_id=learner.pk, now=timezone.now()) == "updated"

    assert Roadmap.objects.get(learner=learner).version == 2
    assert RoadmapStep.objects.get(competency=roadmap_world["sql"], milestone=senior).status == "done"
    kept = RoadmapStep.objects.get(competency=roadmap_world["tuning"], milestone=senior)
    assert (kept.status, kept.note, kept.note_shared) == ("skipped", "Read the EXPLAIN chapter", True)
    assert kept.pk == tuning.pk, "a step that stays planned keeps its id, so an open page still posts to it"


def test_a_step_no_longer_planned_goes_and_the_rest_are_renumbered(roadmap_world):
    learner = roadmap_world["learner"]
    roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    now = timezone.now()
    SelfRating.objects.create(learner=learner, competency=roadmap_world["sql"], proficiency=4, rated_at=now)
    SelfRating.objects.create(learner=learner, competency=roadmap_world["tuning"], proficiency=1, rated_at=now)
    MentorRating.objects.create(
        learner=learner,
        mentor=MentorFactory(),
        competency=roadmap_world["sql"],
        proficiency=4,
        note="Pairing",
        rated_at=now,
    )
    roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    steps = list(RoadmapStep.objects.filter(roadmap__learner=learner).order_by("position"))
    assert [(s.competency.name, s.position) for s in steps] == [("Query tuning", 0)]
    assert steps[0].resource_ids


def test_a_recompute_marks_pending_requests_done(roadmap_world):
    learner = roadmap_world["learner"]
    RoadmapRequest.objects.create(learner=learner, reason="test", requested_at=timezone.now())
    roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    assert not RoadmapRequest.objects.pending().exists()


def test_without_a_target_the_roadmap_is_empty(roadmap_world):
    learner = roadmap_world["learner"]
    learner.profile.target_level = None
    learner.profile.save()
    roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    roadmap = Roadmap.objects.get(learner=learner)
    assert roadmap.status == "ready" and not roadmap.steps.exists()


def test_a_deleted_learner_is_skipped():
    assert roadmap_recompute(learner_id=987654, now=timezone.now()) == "gone"


def test_an_admin_content_change_asks_every_learner_with_a_target_for_a_recompute(
    client, roadmap_world, django_capture_on_commit_callbacks
):

    level = roadmap_world["levels"][0]
    client.force_login(AdminFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:assessments_level_change", args=[level.pk]),
            {"slug": level.slug, "name": "Junior", "order": level.order, "years_min": 0, "years_max": 2,
             "summary": "Edited", "responsibilities": "Bug fixing"},
        )  # fmt: skip
    assert response.status_code == 302
    assert RoadmapRequest.objects.filter(learner=roadmap_world["learner"], reason="content: level").exists()


def test_a_content_import_asks_for_recomputes(roadmap_world, tmp_path):

    question_with_choices(quiz=roadmap_world["quiz"], competency=roadmap_world["tuning"], text="Which index?")
    bundle_write(content_export(), tmp_path)
    call_command("import_content", path=tmp_path)
    assert RoadmapRequest.objects.filter(learner=roadmap_world["learner"], reason="content import").exists()


def test_the_recompute_everyone_command_asks_for_each_learner_with_a_target(roadmap_world, capsys):

    UserFactory()  # no profile, no target: nothing to compute
    call_command("recompute_roadmaps")
    assert "Requested a recompute for 1 learner(s)." in capsys.readouterr().out
    assert list(RoadmapRequest.objects.values_list("learner_id", flat=True)) == [roadmap_world["learner"].pk]


def test_recompute_after_recompute_keeps_one_unread_roadmap_notification(roadmap_world):
    from roadmap.models import Notification

    learner = roadmap_world["learner"]
    for proficiency in (0, 1, 2, 0, 1):
        SelfRating.objects.create(
            learner=learner, competency=roadmap_world["sql"], proficiency=proficiency, rated_at=timezone.now()
        )
        roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    version = Roadmap.objects.get(learner=learner).version
    assert version >= 3
    assert list(Notification.objects.filter(recipient=learner).values_list("message", flat=True)) == [
        "Your roadmap is ready."
    ]
    Notification.objects.update(emailed_at=timezone.now())  # emailed, still unread: the next one is new
    SelfRating.objects.create(learner=learner, competency=roadmap_world["sql"], proficiency=3, rated_at=timezone.now())
    roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    assert Notification.objects.filter(recipient=learner).count() == 2


def test_a_redis_error_during_a_recompute_is_retried_and_completes_once_redis_is_back(roadmap_world, monkeypatch):
    from celery.exceptions import Retry
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    from assessments import content
    from roadmap.requests import roadmap_request
    from roadmap.tasks import recompute_roadmap

    learner = roadmap_world["learner"]
    roadmap_request(learner_id=learner.pk, reason="self-rating", now=timezone.now())
    real_version, outage = content.content_version, []

    def version():
        if outage:
            raise outage[0]
        return real_version()

    monkeypatch.setattr(content, "content_version", version)
    for error in (RedisConnectionError("Connection refused"), RedisTimeoutError("Timeout reading from socket")):
        outage[:] = [error]
        with pytest.raises((Retry, type(error))):  # handed back to Celery to retry with backoff
            recompute_roadmap.apply(args=[learner.pk], throw=True)
        assert Roadmap.objects.get(learner=learner).status != "failed"
        assert RoadmapRequest.objects.pending().filter(learner=learner).exists()  # the sweep resends it

    outage.clear()  # Redis is back
    recompute_roadmap.apply(args=[learner.pk], throw=True)
    roadmap = Roadmap.objects.get(learner=learner)
    assert roadmap.status == "ready" and roadmap.error == ""
    assert not RoadmapRequest.objects.pending().exists()


@pytest.mark.parametrize("emails", [True, False])
def test_ten_ratings_in_a_burst_make_one_notification_and_one_email_after_the_burst(
    client, roadmap_world, emails, django_capture_on_commit_callbacks, mailoutbox
):
    """Each rating recomputes the roadmap (a worker keeping up with every request, the worst case):
    one unread notification follows the latest version, and one email goes once the burst has been
    quiet for EMAIL_QUIET, or none for a learner who turned roadmap emails off."""
    from roadmap.digest import emails_due_send
    from roadmap.models import Notification
    from roadmap.notifications import EMAIL_QUIET

    learner = roadmap_world["learner"]
    learner.profile.roadmap_emails = emails
    learner.profile.save()
    client.force_login(learner)
    competencies = [roadmap_world["sql"], roadmap_world["tuning"]]
    for n in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("rate", args=[competencies[n % 2].slug]), {"proficiency": str(n % 4)}, HTTP_HX_REQUEST="true"
            )
        assert response.status_code == 200
        roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    assert Roadmap.objects.get(learner=learner).version >= 5
    assert list(Notification.objects.values_list("message", flat=True)) == ["Your roadmap is ready."]
    assert mailoutbox == []
    assert emails_due_send(now=timezone.now()) == 0  # the burst has just ended
    later = timezone.now() + EMAIL_QUIET
    assert emails_due_send(now=later) == int(emails)
    assert emails_due_send(now=later) == 0
    assert [m.subject for m in mailoutbox] == (["CareerPath: Your roadmap is ready."] if emails else [])


def test_roadmap_emails_can_be_turned_off_on_the_profile(client, roadmap_world):
    learner = roadmap_world["learner"]
    client.force_login(learner)
    page = client.get(reverse("profile")).content.decode()
    assert "Email me when my roadmap is updated" in page
    profile = learner.profile
    form = {"current_role": "", "years_experience": "", "current_level": profile.current_level_id}
    client.post(reverse("profile"), {**form, "target_level": profile.target_level_id})
    profile.refresh_from_db()
    assert profile.roadmap_emails is False  # an unticked box


# --- chunks: many learners at once -----------------------------------------------------------


def _learners_like(world, count: int) -> list[int]:
    """``count`` learners aiming where the world's learner does, each with self-ratings and a roadmap."""
    ids = []
    for n in range(count):
        learner = UserFactory(username=f"chunk{count}-{n}")
        LearnerProfile.objects.create(user=learner, target_level=world["levels"][2], stack="go" if n % 2 else "")
        for competency in (world["sql"], world["tuning"]):
            SelfRating.objects.create(
                learner=learner, competency=competency, proficiency=1 + n % 2, rated_at=timezone.now()
            )
        ids.append(learner.pk)
    return ids


def test_a_chunk_takes_the_same_statements_for_2_and_for_8_learners(roadmap_world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for size in (2, 8):
        ids = _learners_like(roadmap_world, size)
        roadmaps_recompute(learner_ids=ids, now=timezone.now(), reestimate=False)  # first version
        Roadmap.objects.filter(learner_id__in=ids).update(inputs_digest="", plan_digest="")  # all stale
        with CaptureQueriesContext(connection) as queries:
            outcomes = roadmaps_recompute(learner_ids=ids, now=timezone.now(), reestimate=False)
        assert set(outcomes.values()) == {"updated"}
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 30


def test_a_chunk_writes_what_one_learner_at_a_time_would(roadmap_world):
    ids = _learners_like(roadmap_world, 4)
    now = timezone.now()
    for learner_id in ids[:2]:
        roadmap_recompute(learner_id=learner_id, now=now)
    roadmaps_recompute(learner_ids=ids[2:], now=now)

    def rows(learner_id):
        return [
            (s.competency_id, s.milestone_id, s.from_proficiency, s.to_proficiency, s.hours, s.why, s.resource_ids)
            for s in Roadmap.objects.get(learner_id=learner_id).steps.all()
        ]

    assert rows(ids[0]) == rows(ids[2]) and rows(ids[1]) == rows(ids[3])  # same ratings and stack


def test_a_content_change_replans_without_estimating_again_and_a_measurement_change_estimates(roadmap_world):
    from assessments.models import Expectation, LearnerStanding, Resource

    ids = _learners_like(roadmap_world, 3)
    roadmaps_recompute(learner_ids=ids, now=timezone.now())
    estimated = dict(LearnerStanding.objects.filter(learner_id__in=ids).values_list("learner_id", "computed_at"))
    Resource.objects.filter(competency=roadmap_world["sql"]).update(hours=20)
    Resource.objects.first().save()  # the admin's save: the content version moves
    outcomes = roadmaps_recompute(learner_ids=ids, now=timezone.now(), reestimate=False)
    assert set(outcomes.values()) == {"updated"}  # every plan has SQL querying steps, now longer
    after = dict(LearnerStanding.objects.filter(learner_id__in=ids).values_list("learner_id", "computed_at"))
    assert after == estimated  # the standings were current: not estimated again
    cell = Expectation.objects.get(competency=roadmap_world["tuning"], level=roadmap_world["levels"][2])
    cell.proficiency = 4
    cell.save()  # the matrix changes: the measurement with it
    roadmaps_recompute(learner_ids=ids, now=timezone.now(), reestimate=False)
    moved = dict(LearnerStanding.objects.filter(learner_id__in=ids).values_list("learner_id", "computed_at"))
    assert all(moved[i] > estimated[i] for i in ids)


def test_a_bug_planning_one_learner_of_a_chunk_fails_only_that_roadmap(roadmap_world, monkeypatch):
    from roadmap import compute
    from roadmap.tasks import recompute_roadmaps_chunk

    ids = _learners_like(roadmap_world, 3)
    real = compute.build_plan

    def broken(*, estimates, matrix, target_id, stack):
        if stack == "go":  # the second learner's
            raise ValueError("a bug")
        return real(estimates=estimates, matrix=matrix, target_id=target_id, stack=stack)

    monkeypatch.setattr(compute, "build_plan", broken)
    recompute_roadmaps_chunk.run(ids)
    statuses = dict(Roadmap.objects.filter(learner_id__in=ids).values_list("learner_id", "status"))
    assert statuses == {ids[0]: "ready", ids[1]: "failed", ids[2]: "ready"}


def test_jobs_behind_one_that_handled_their_requests_do_nothing(roadmap_world):
    from roadmap.tasks import recompute_roadmap

    learner = roadmap_world["learner"]
    for _ in range(3):  # a burst: three requests, three jobs queued
        RoadmapRequest.objects.create(learner=learner, reason="self-rating", requested_at=timezone.now())
    outcomes = [recompute_roadmap.apply(args=[learner.pk], throw=True).result for _ in range(3)]
    assert outcomes == ["updated", "handled", "handled"]
    assert Roadmap.objects.get(learner=learner).version == 1
