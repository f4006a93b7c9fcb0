"""Mentor dashboard flags and sizes, invites, ratings, comments, notifications and email."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.attempts import attempt_submit
from assessments.models import Attempt, LearnerProfile, MentorInvite, MentorRating, Mentorship, SelfRating
from roadmap.compute import roadmap_recompute
from roadmap.digest import mentor_digests_send, notification_email_send
from roadmap.mentor_dashboard import flags_of, mentees
from roadmap.models import Notification, Roadmap, RoadmapRequest, RoadmapStep
from tests.factories import MentorFactory, UserFactory, question_with_choices

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor():
    return MentorFactory(username="mia")


@pytest.fixture
def mentee(roadmap_world, mentor):
    Mentorship.objects.create(mentor=mentor, learner=roadmap_world["learner"])
    roadmap_recompute(learner_id=roadmap_world["learner"].pk, now=timezone.now())
    return roadmap_world["learner"]


def _row(mentor, learner, now=None):
    return next(r for r in mentees(mentor=mentor, now=now or timezone.now()) if r.pk == learner.pk)


# --- flags ---------------------------------------------------------------------------------


def test_a_mentee_with_no_activity_for_14_days_is_flagged(mentor, mentee):
    mentee.last_login = timezone.now() - timedelta(days=20)
    mentee.save()
    assert "Inactive for 14 days" in flags_of(_row(mentor, mentee))
    mentee.last_login = timezone.now() - timedelta(days=2)
    mentee.save()
    assert "Inactive for 14 days" not in flags_of(_row(mentor, mentee))


def test_a_self_rating_or_an_answer_is_activity(mentor, mentee, roadmap_world):
    from assessments.attempts import answer_save
    from assessments.ratings import self_rating_record

    mentee.last_login = timezone.now() - timedelta(days=20)
    mentee.save()
    assert "Inactive for 14 days" in flags_of(_row(mentor, mentee))
    self_rating_record(learner_id=mentee.pk, competency=roadmap_world["sql"], proficiency=2, now=timezone.now())
    assert "Inactive for 14 days" not in flags_of(_row(mentor, mentee))

    later = timezone.now() + timedelta(days=15)  # 15 days on, only an answer given then keeps them active
    assert "Inactive for 14 days" in flags_of(_row(mentor, mentee, now=later))
    question = roadmap_world["quiz"].questions.first()
    attempt = Attempt.objects.create(learner=mentee, quiz=roadmap_world["quiz"], started_at=later)
    answer_save(attempt_id=attempt.pk, question_id=question.pk, choice_ids=[question.choices.first().pk], now=later)
    row = _row(mentor, mentee, now=later)
    assert "Inactive for 14 days" not in flags_of(row) and row.last_activity == later


def test_the_stored_progress_is_the_steps_count_after_a_recompute_and_a_status_change(mentor, mentee):
    def counted() -> tuple[int, int, int]:
        learning = list(RoadmapStep.objects.filter(roadmap__learner=mentee, kind="learn"))
        open_steps = [step for step in learning if step.status in ("todo", "doing")]
        return len(learning), len(learning) - len(open_steps), sum(step.hours for step in open_steps)

    def stored() -> tuple[int, int, int]:
        roadmap = Roadmap.objects.get(learner=mentee)
        return roadmap.steps_total, roadmap.steps_finished, roadmap.hours_left

    assert stored() == counted() and counted()[0] > 1
    first = RoadmapStep.objects.filter(roadmap__learner=mentee, kind="learn").first()
    first.set_status("done", now=timezone.now())
    assert stored() == counted() and stored()[1] == 1
    row = _row(mentor, mentee)
    assert (row.steps_total, row.steps_finished, row.hours_left) == counted()
    first.set_status("doing", now=timezone.now())
    assert stored() == counted() and stored()[1] == 0


def _quiz_estimate_zero(world, learner):
    """A submitted attempt with every question answered wrong: the quiz estimate for SQL is low.
    (Questions left unanswered would not do: they are not evidence.)"""
    from assessments.attempts import answer_save, attempt_submit

    quiz = world["quiz"]
    questions = [
        question_with_choices(quiz=quiz, competency=world["sql"], order=10 + n, difficulty=1) for n in range(4)
    ]
    attempt = Attempt.objects.create(learner=learner, quiz=quiz, started_at=timezone.now())
    for question in questions:
        wrong = question.choices.filter(is_correct=False).first()
        answer_save(attempt_id=attempt.pk, question_id=question.pk, choice_ids=[wrong.pk], now=timezone.now())
    attempt_submit(attempt_id=attempt.pk, now=timezone.now())


def test_self_rating_well_above_the_quiz_estimate_flags_over_confidence(mentor, mentee, roadmap_world):
    _quiz_estimate_zero(roadmap_world, mentee)
    SelfRating.objects.create(learner=mentee, competency=roadmap_world["sql"], proficiency=4, rated_at=timezone.now())
    roadmap_recompute(learner_id=mentee.pk, now=timezone.now())
    assert Roadmap.objects.get(learner=mentee).overconfident == 1
    assert "Rates above quiz results" in flags_of(_row(mentor, mentee))


def test_self_rating_well_below_the_quiz_estimate_flags_under_confidence(mentor, mentee, roadmap_world):
    quiz = roadmap_world["quiz"]
    attempt = Attempt.objects.create(learner=mentee, quiz=quiz, started_at=timezone.now())
    from assessments.attempts import answer_save, attempt_submit

    for question in quiz.questions.all():
        answer_save(
            attempt_id=attempt.pk,
            question_id=question.pk,
            choice_ids=[question.choices.get(is_correct=True).pk],
            now=timezone.now(),
        )
    for n in range(6):
        q = question_with_choices(quiz=quiz, competency=roadmap_world["sql"], order=20 + n, difficulty=5)
        answer_save(
            attempt_id=attempt.pk, question_id=q.pk, choice_ids=[q.choices.get(is_correct=True).pk], now=timezone.now()
        )
    attempt_submit(attempt_id=attempt.pk, now=timezone.now())
    SelfRating.objects.create(learner=mentee, competency=roadmap_world["sql"], proficiency=0, rated_at=timezone.now())
    roadmap_recompute(learner_id=mentee.pk, now=timezone.now())
    assert "Rates below quiz results" in flags_of(_row(mentor, mentee))


def _steps_arrived_days_ago(learner, days: int) -> None:
    """The learner's steps arrived ``days`` ago (the roadmap stores when its oldest step did)."""
    arrived = timezone.now() - timedelta(days=days)
    RoadmapStep.objects.filter(roadmap__learner=learner).update(added_at=arrived)
    Roadmap.objects.filter(learner=learner).update(first_step_added_at=arrived)


def test_a_roadmap_that_has_not_moved_in_30_days_is_flagged(mentor, mentee, roadmap_world):
    _steps_arrived_days_ago(mentee, 40)
    assert "Roadmap not moved in 30 days" in flags_of(_row(mentor, mentee))
    # A recompute (say, after a content import) is not the learner moving.
    SelfRating.objects.create(learner=mentee, competency=roadmap_world["sql"], proficiency=3, rated_at=timezone.now())
    assert roadmap_recompute(learner_id=mentee.pk, now=timezone.now()) == "updated"
    assert "Roadmap not moved in 30 days" in flags_of(_row(mentor, mentee))
    step = RoadmapStep.objects.filter(roadmap__learner=mentee).first()
    step.set_status("doing", now=timezone.now())
    assert "Roadmap not moved in 30 days" not in flags_of(_row(mentor, mentee))


def test_a_finished_step_that_a_recompute_drops_still_counts_as_a_move(mentor, mentee, roadmap_world):
    _steps_arrived_days_ago(mentee, 40)
    first_stage = {"competency": roadmap_world["sql"], "milestone": roadmap_world["levels"][1]}
    RoadmapStep.objects.get(**first_stage).set_status("done", now=timezone.now())
    SelfRating.objects.create(learner=mentee, competency=roadmap_world["sql"], proficiency=4, rated_at=timezone.now())
    roadmap_recompute(learner_id=mentee.pk, now=timezone.now())
    assert not RoadmapStep.objects.filter(**first_stage).exists()
    assert "Roadmap not moved in 30 days" not in flags_of(_row(mentor, mentee))


# --- the dashboard page ------------------------------------------------------------------


def test_the_dashboard_shows_level_target_progress_and_hours(client, mentor, mentee):
    client.force_login(mentor)
    body = client.get(reverse("mentor_dashboard")).content.decode()
    assert "ada" in body and "Senior" in body and "0/4 (0%)" in body and "<td>82</td>" in body


def test_the_dashboard_filters_sorts_and_pages(client, mentor, mentee):
    for n in range(25):
        Mentorship.objects.create(mentor=mentor, learner=UserFactory(username=f"zed{n:02d}"))
    client.force_login(mentor)
    first = client.get(reverse("mentor_dashboard"), {"sort": "name"}).content.decode()
    assert "Page 1 of 2" in first and "ada" in first and "zed24" not in first
    last = client.get(reverse("mentor_dashboard"), {"sort": "-name"}).content.decode()
    assert "zed24" in last
    searched = client.get(reverse("mentor_dashboard"), {"q": "zed07"}).content.decode()
    assert "zed07" in searched and "zed08" not in searched
    # The search matches what the page shows, not the email addresses it does not.
    UserFactory._meta.model.objects.filter(username="zed07").update(email="secret-zed@example.com")
    by_email = client.get(reverse("mentor_dashboard"), {"q": "secret-zed"}).content.decode()
    assert "zed07" not in by_email
    flagged = client.get(reverse("mentor_dashboard"), {"flag": "inactive", "sort": "bogus", "page": "99"})
    assert flagged.status_code == 200


def test_the_dashboard_query_count_is_the_same_for_10_and_200_mentees(client, mentor):
    def count(total: int) -> int:
        while Mentorship.objects.filter(mentor=mentor).count() < total:
            learner = UserFactory()
            Mentorship.objects.create(mentor=mentor, learner=learner)
            Roadmap.objects.create(learner=learner, status="ready", version=1, computed_at=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("mentor_dashboard"), {"sort": "-activity"}).status_code == 200
        return len(queries)

    client.force_login(mentor)
    assert count(10) == count(200)


# --- ratings, comments, invites ------------------------------------------------------------


def test_a_mentor_rating_with_evidence_feeds_the_roadmap_and_tells_the_learner(client, mentor, mentee, roadmap_world):
    client.force_login(mentor)
    sql = roadmap_world["sql"]
    client.post(
        reverse("mentee_rate", args=[mentee.pk, sql.slug]),
        {"proficiency": "3", "note": "Led the reporting query rewrite", "evidence_url": "https://git.example.com/pr/7"},
    )
    rating = MentorRating.objects.get()
    assert (rating.proficiency, rating.evidence_url) == (3, "https://git.example.com/pr/7")
    assert RoadmapRequest.objects.filter(learner=mentee, reason="mentor rating").exists()
    assert Notification.objects.filter(recipient=mentee, message__contains="mia rated your SQL querying").exists()
    client.force_login(mentee)
    body = client.get(reverse("results")).content.decode()
    assert "Led the reporting query rewrite" in body and "by mia" in body


def test_a_rating_without_evidence_is_refused_with_a_message(client, mentor, mentee, roadmap_world):
    client.force_login(mentor)
    response = client.post(
        reverse("mentee_rate", args=[mentee.pk, roadmap_world["sql"].slug]),
        {"proficiency": "9", "note": ""},
        follow=True,
    )
    assert "not saved" in response.content.decode()
    assert not MentorRating.objects.exists()


def test_a_comment_thread_between_mentor_and_learner(client, mentor, mentee, roadmap_world):
    sql = roadmap_world["sql"]
    client.force_login(mentor)
    client.post(reverse("comment_add", args=[mentee.pk, sql.slug]), {"body": "Try window functions"})
    client.force_login(mentee)
    client.post(reverse("comment_add", args=[mentee.pk, sql.slug]), {"body": "Done, thanks!"})
    first = RoadmapStep.objects.filter(competency=sql).order_by("position").first()  # the thread is there
    body = client.get(reverse("step_detail", args=[first.pk])).content.decode()
    assert body.index("Try window functions") < body.index("Done, thanks!")
    assert Notification.objects.filter(recipient=mentee, message="mia commented on your SQL querying.").exists()
    assert Notification.objects.filter(recipient=mentor, message="ada commented on SQL querying.").exists()


def test_a_comment_shows_as_written_not_as_markdown(client, mentee, roadmap_world):
    """Only admin-written content is rendered as Markdown; what learners and mentors write stays text."""
    sql = roadmap_world["sql"]
    client.force_login(mentee)
    client.post(reverse("comment_add", args=[mentee.pk, sql.slug]), {"body": "Is `EXPLAIN` *enough*?"})
    first = RoadmapStep.objects.filter(competency=sql).order_by("position").first()
    body = client.get(reverse("step_detail", args=[first.pk])).content.decode()
    assert "Is `EXPLAIN` *enough*?" in body


def test_an_empty_comment_is_refused(client, mentee, roadmap_world):
    client.force_login(mentee)
    response = client.post(
        reverse("comment_add", args=[mentee.pk, roadmap_world["sql"].slug]), {"body": "  "}, follow=True
    )
    assert "Comment not posted" in response.content.decode()


def test_an_invite_link_starts_a_mentorship(client, mentor):
    client.force_login(mentor)
    client.post(reverse("invite_new"))
    invite = MentorInvite.objects.get()
    learner = UserFactory()
    client.force_login(learner)
    assert "mia invites you" in client.get(reverse("invite_accept", args=[invite.code])).content.decode()
    client.post(reverse("invite_accept", args=[invite.code]))
    assert Mentorship.objects.active().filter(mentor=mentor, learner=learner).exists()
    again = client.post(reverse("my_mentors"), {"code": invite.code}, follow=True)
    assert "expired or was already used" in again.content.decode()


def test_a_bad_or_expired_invite_code_is_explained(client, mentor):
    client.force_login(UserFactory())
    response = client.post(reverse("my_mentors"), {"code": "nonsense"}, follow=True)
    assert "not valid" in response.content.decode()
    invite = MentorInvite.objects.create(
        mentor=mentor,
        code="old",
        created_at=timezone.now() - timedelta(days=30),
        expires_at=timezone.now() - timedelta(days=16),
    )
    assert client.get(reverse("invite_accept", args=[invite.code])).status_code == 404


def test_a_learner_may_have_several_mentors(client, mentee, mentor):
    Mentorship.objects.create(mentor=MentorFactory(username="max"), learner=mentee)
    client.force_login(mentee)
    body = client.get(reverse("my_mentors")).content.decode()
    assert "mia" in body and "max" in body


# --- notifications and email -------------------------------------------------------------


def test_the_unread_count_shows_and_clears(client, mentee):
    from roadmap.notifications import notify

    notify(recipient_id=mentee.pk, message="Hello", url="/roadmap/", now=timezone.now())
    client.force_login(mentee)
    assert 'aria-label="2 unread"' in client.get(reverse("notifications")).content.decode()
    client.post(reverse("notifications_read"))
    assert "unread" not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize(
    ("action", "recipient", "subject"),
    [
        ("mentor_comment", "learner", "CareerPath: mia commented on your SQL querying."),
        ("learner_comment", "mentor", "CareerPath: ada commented on SQL querying."),
        ("rating", "learner", "CareerPath: mia rated your SQL querying: Proficient (3)."),
        ("roadmap", "learner", "CareerPath: Your roadmap is ready."),
    ],
)
def test_each_notification_is_emailed_once(client, mentor, mentee, roadmap_world, action, recipient, subject, settings):
    sql = roadmap_world["sql"]
    if action == "mentor_comment":
        client.force_login(mentor)
        client.post(reverse("comment_add", args=[mentee.pk, sql.slug]), {"body": "Nice"})
    elif action == "learner_comment":
        client.force_login(mentee)
        client.post(reverse("comment_add", args=[mentee.pk, sql.slug]), {"body": "Question"})
    elif action == "rating":
        client.force_login(mentor)
        client.post(reverse("mentee_rate", args=[mentee.pk, sql.slug]), {"proficiency": "3", "note": "Seen in review"})
    else:
        SelfRating.objects.create(learner=mentee, competency=sql, proficiency=2, rated_at=timezone.now())
        roadmap_recompute(learner_id=mentee.pk, now=timezone.now())
    person = mentee if recipient == "learner" else mentor
    notification = Notification.objects.filter(recipient=person).order_by("-id").first()
    mail.outbox.clear()
    assert notification_email_send(notification_id=notification.pk, now=timezone.now())
    assert not notification_email_send(notification_id=notification.pk, now=timezone.now())
    assert [(m.subject, m.to) for m in mail.outbox] == [(subject, [person.email])]
    assert f"{settings.SITE_URL}{notification.url}" in mail.outbox[0].body


def test_the_weekly_digest_lists_each_mentors_flagged_mentees(mentor, mentee):
    quiet = UserFactory(username="quiet", last_login=timezone.now())
    Mentorship.objects.create(mentor=mentor, learner=quiet)
    mentee.last_login = timezone.now() - timedelta(days=30)
    mentee.save()
    unflagged_mentor = MentorFactory(username="calm")
    Mentorship.objects.create(mentor=unflagged_mentor, learner=UserFactory(last_login=timezone.now()))
    mail.outbox.clear()
    assert mentor_digests_send(now=timezone.now()) == 1
    (message,) = mail.outbox
    assert message.to == [mentor.email]
    assert "- ada: Inactive for 14 days" in message.body
    assert "quiet" not in message.body


def test_no_digest_goes_to_a_mentor_removed_from_the_mentors_group(mentor, mentee):
    mentee.last_login = timezone.now() - timedelta(days=30)
    mentee.save()
    mentor.groups.clear()
    mail.outbox.clear()
    assert mentor_digests_send(now=timezone.now()) == 0
    assert mail.outbox == []


def test_the_digest_runs_as_the_beat_schedule_names_it(mentor, mentee):
    from django.conf import settings

    from careerpath.celery import app

    mentee.last_login = timezone.now() - timedelta(days=20)
    mentee.save()
    schedule = settings.CELERY_BEAT_SCHEDULE["mentor-digests"]
    mail.outbox.clear()
    sent = app.tasks[schedule["task"]].apply().get()
    assert sent == 1
    assert [m.to for m in mail.outbox] == [[mentor.email]]
    assert mentee.get_username() in mail.outbox[0].body and "Inactive for 14 days" in mail.outbox[0].body


# --- bad input keeps what was typed; threads on competencies without a step -------------------


def test_a_rating_without_a_proficiency_keeps_the_mentors_evidence(client, mentor, mentee, roadmap_world):
    client.force_login(mentor)
    url = reverse("mentee_rate", args=[mentee.pk, roadmap_world["sql"].slug])
    response = client.post(url, {"proficiency": "", "note": "Saw PR #42", "evidence_url": "https://git.example/pr/42"})
    body = response.content.decode()
    assert response.status_code == 400
    assert (
        "Rating not saved" in body and "Saw PR #42</textarea>" in body and 'value="https://git.example/pr/42"' in body
    )
    assert not MentorRating.objects.exists()


def test_an_empty_htmx_comment_answers_with_the_thread_and_an_error(client, mentor, mentee, roadmap_world):
    client.force_login(mentor)
    url = reverse("comment_add", args=[mentee.pk, roadmap_world["sql"].slug])
    response = client.post(url, {"body": "   "}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 422
    assert "Comment not posted" in body and "<html" not in body and 'id="thread-' in body


def test_a_competency_without_a_step_has_its_thread_for_mentor_and_learner(client, mentor, mentee, roadmap_world):
    met = roadmap_world["sql"]
    SelfRating.objects.filter(learner=mentee).delete()
    SelfRating.objects.create(learner=mentee, competency=met, proficiency=4, rated_at=timezone.now())
    roadmap_recompute(learner_id=mentee.pk, now=timezone.now())
    assert not RoadmapStep.objects.filter(competency=met).exists()

    client.force_login(mentor)
    page = client.get(reverse("mentee_detail", args=[mentee.pk])).content.decode()
    assert page.count(f'id="thread-{met.slug}"') == 1
    client.post(reverse("comment_add", args=[mentee.pk, met.slug]), {"body": "Teach this to the team?"})
    notification = Notification.objects.filter(recipient=mentee).order_by("-id").first()
    assert notification.url == reverse("self_assessment_area", args=[met.area.slug]) + f"#thread-{met.slug}"

    client.force_login(mentee)
    area = client.get(reverse("self_assessment_area", args=[met.area.slug])).content.decode()
    assert "Teach this to the team?" in area and f'id="thread-{met.slug}"' in area
    # Under the competency's h2 the thread's heading is an h3, also when a post swaps it back in.
    assert "<h3>Comments</h3>" in area and "<h4>Comments</h4>" not in area
    url = reverse("comment_add", args=[mentee.pk, met.slug])
    swapped = client.post(url, {"body": "Yes", "thread_heading": "h3"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<h3>Comments</h3>" in swapped
    bogus = client.post(url, {"body": "Hm", "thread_heading": "script"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<h4>Comments</h4>" in bogus and "<script" not in bogus


def test_the_results_table_shows_the_mentor_rating_the_combined_proficiency_and_the_level_met(
    client, mentor, mentee, roadmap_world
):
    import re

    from assessments.ratings import mentor_rating_record

    sql = roadmap_world["sql"]
    SelfRating.objects.filter(learner=mentee).delete()
    mentor_rating_record(
        mentor=mentor,
        learner_id=mentee.pk,
        competency=sql,
        proficiency=2,
        note="Pairing",
        evidence_url="",
        now=timezone.now(),
    )
    client.force_login(mentee)
    body = client.get(reverse("results")).content.decode()
    row = re.search(r'<th scope="row">SQL querying</th>(.*?)</tr>', body, re.S).group(1)
    cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]
    assert cells[3:6] == ["2", "2 · mentor", "Backend Developer"]
    tuning = re.search(r'<th scope="row">Query tuning</th>(.*?)</tr>', body, re.S).group(1)
    tuning_cells = [re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td>(.*?)</td>", tuning, re.S)]
    assert tuning_cells[3:5] == ["—", "Not assessed yet"]


def test_the_learners_mentor_ratings_are_paginated(client, mentor, mentee, roadmap_world):
    for n in range(25):
        MentorRating.objects.create(
            learner=mentee,
            mentor=mentor,
            competency=roadmap_world["sql"],
            proficiency=2,
            note=f"Evidence number {n:02d}",
            rated_at=timezone.now() + timedelta(minutes=n),
        )
    client.force_login(mentee)
    first = client.get(reverse("results")).content.decode()
    assert "Evidence number 24" in first and "Evidence number 04" not in first and "Page 1 of 2" in first
    second = client.get(reverse("results"), {"page": "2"}).content.decode()
    assert "Evidence number 04" in second and "Evidence number 24" not in second
    assert client.get(reverse("results"), {"page": "nonsense"}).status_code == 200


def test_the_cached_mentee_page_shows_each_rating_comment_and_shared_note(client, mentor, mentee, roadmap_world):
    """The mentee page's competencies and roadmap are rendered once per change: a rating, a comment
    on a competency with or without a step, and a note the learner shares each reach the next view."""
    sql, tuning = roadmap_world["sql"], roadmap_world["tuning"]
    client.force_login(mentor)
    page = lambda: client.get(reverse("mentee_detail", args=[mentee.pk])).content.decode()  # noqa: E731
    assert "last mentor rating" not in page()
    client.post(reverse("mentee_rate", args=[mentee.pk, sql.slug]), {"proficiency": "2", "note": "Pairing showed it"})
    assert "last mentor rating 2 by mia" in page()
    for competency, body in ((sql, "Try window functions"), (tuning, "Read EXPLAIN output")):
        client.post(reverse("comment_add", args=[mentee.pk, competency.slug]), {"body": body})
        step = RoadmapStep.objects.filter(competency=competency).order_by("position").first()
        opened = client.get(reverse("mentee_step_detail", args=[mentee.pk, step.pk])).content.decode()
        assert body in opened  # a competency with a step: its thread is on the step, opened
    step = RoadmapStep.objects.filter(roadmap__learner=mentee).first()
    step.set_note("Ask mia about indexes", shared=True)
    assert (
        "Ask mia about indexes" in client.get(reverse("mentee_step_detail", args=[mentee.pk, step.pk])).content.decode()
    )


def test_an_invite_link_carries_a_newcomer_through_sign_up_and_onboarding(client, mentor):
    from assessments.models import Level

    invite = MentorInvite.objects.create(
        mentor=mentor, code="join-mia", created_at=timezone.now(), expires_at=timezone.now() + timedelta(days=14)
    )
    link = reverse("invite_accept", args=[invite.code])
    page = client.get(link).content.decode()  # no account yet: who invites, and how to accept
    assert "mia invites you" in page and f"{reverse('signup')}?next={link}" in page
    assert client.post(link).status_code == 302 and not Mentorship.objects.exists()  # accepting needs an account

    signed_up = client.post(
        reverse("signup") + "?next=" + link,
        {"username": "newt", "email": "newt@example.com", "password1": "a-long-passphrase-1",
         "password2": "a-long-passphrase-1", "next": link},
    )  # fmt: skip
    assert (
        signed_up.status_code == 302
        and signed_up.url == reverse("onboarding") + "?next=%2Fmentors%2Fjoin%2Fjoin-mia%2F"
    )
    onboarding = client.get(signed_up.url).content.decode()
    assert f'name="next" value="{link}"' in onboarding
    level = Level.objects.create(slug="senior", name="Senior", order=3)
    onboarded = client.post(
        signed_up.url, {"years_experience": 1, "target_level": level.pk, "weekly_hours": 5, "next": link}
    )
    assert onboarded.status_code == 302 and onboarded.url == link
    client.post(link)
    assert Mentorship.objects.active().filter(mentor=mentor, learner__username="newt").exists()


def test_a_next_page_off_this_site_is_ignored_after_sign_up():
    from django.test import Client

    browser = Client()
    response = browser.post(
        reverse("signup"),
        {"username": "newt", "email": "newt@example.com", "password1": "a-long-passphrase-1",
         "password2": "a-long-passphrase-1", "next": "https://evil.example/phish"},
    )  # fmt: skip
    assert response.url == reverse("onboarding")


# --- time zones ----------------------------------------------------------------------------


def test_mentors_in_two_zones_each_see_a_mentees_times_in_their_own(client, mentor, mentee, roadmap_world):
    """The mentee page's fragments are cached for the mentee and shared by their mentors: the zone of
    the mentor who rendered them first must not reach the next one (careerpath/fragments.py)."""
    evening = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)
    attempt = Attempt.objects.create(
        learner=mentee, quiz=roadmap_world["quiz"], started_at=evening - timedelta(hours=1)
    )
    attempt_submit(attempt_id=attempt.pk, now=evening)
    roadmap_recompute(learner_id=mentee.pk, now=evening)
    Roadmap.objects.filter(learner=mentee).update(computed_at=evening)
    LearnerProfile.objects.create(user=mentor, time_zone="Asia/Tokyo")
    other = MentorFactory(username="max")
    LearnerProfile.objects.create(user=other, time_zone="America/New_York")
    Mentorship.objects.create(mentor=other, learner=mentee)

    def page(who) -> str:
        client.force_login(who)
        return client.get(reverse("mentee_detail", args=[mentee.pk])).content.decode()

    tokyo, new_york = page(mentor), page(other)
    assert "updated 02 Dec 2026, 05:30 JST" in tokyo and "updated 01 Dec 2026, 15:30 EST" in new_york  # roadmap
    assert "<td>02 Dec 2026, 05:30</td>" in tokyo and "<td>01 Dec 2026, 15:30</td>" in new_york  # history
