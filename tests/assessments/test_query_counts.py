"""Each learner page runs the same number of queries whatever the size of the matrix and history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, LearnerProfile, LearnerStanding, Mentorship, Response, SelfRating
from assessments.placement_tests import placement_answer, placement_start
from assessments.profile_card import card_share
from assessments.standing import standing_refresh
from roadmap.compute import roadmap_recompute
from roadmap.models import Comment, Recheck, Roadmap
from roadmap.rechecks import recheck_schedule, rechecks_due_remind
from tests.factories import (
    AreaFactory,
    ChoiceFactory,
    CompetencyFactory,
    ExpectationFactory,
    LevelFactory,
    MentorFactory,
    QuestionFactory,
    QuizFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _world(size: int) -> dict:
    """``size`` competencies with their cells and questions, ``size`` ratings and submitted attempts."""
    learner = UserFactory(username=f"learner{size}")
    levels = [LevelFactory(slug=f"l{size}-{i}", name=f"L{size} {i}", order=size * 10 + i) for i in range(3)]
    LearnerProfile.objects.create(user=learner, current_level=levels[0], target_level=levels[2])
    mentor = MentorFactory(username=f"mentor{size}")
    Mentorship.objects.create(mentor=mentor, learner=learner)
    area = AreaFactory()
    quiz, open_quiz = QuizFactory(area=area), QuizFactory(area=area)
    now = timezone.now()
    first_question = None
    for n in range(size):
        competency = CompetencyFactory(area=area)
        for i, level in enumerate(levels):
            ExpectationFactory(competency=competency, level=level, proficiency=i + 1)
        for target in (quiz, open_quiz):
            question = QuestionFactory(quiz=target, competency=competency, order=n)
            ChoiceFactory(question=question, is_correct=True)
            ChoiceFactory(question=question, is_correct=False)
            first_question = first_question or question
        SelfRating.objects.create(learner=learner, competency=competency, proficiency=n % 5, rated_at=now)
        for author in (learner, mentor):  # a thread on every competency, shown on the area and mentee pages
            Comment.objects.create(learner=learner, competency=competency, author=author, body="Hi", created_at=now)
    questions = list(quiz.questions.all())
    last = None
    for n in range(size):
        last = Attempt.objects.create(
            learner=learner, quiz=quiz, started_at=now, state="submitted", submitted_at=now, score=0.5
        )
        response = Response.objects.create(attempt=last, question=questions[n], answered_at=now)
        response.choices.set(questions[n].choices.all()[:1])
    open_attempt = Attempt.objects.create(learner=learner, quiz=open_quiz, started_at=now)
    standing_refresh(learner_id=learner.pk, now=now)
    roadmap_recompute(learner_id=learner.pk, now=now)
    assert Roadmap.objects.get(learner=learner).steps.count() >= size  # staged: some have a step per milestone
    step = Roadmap.objects.get(learner=learner).steps.filter(kind="learn").order_by("position").first()
    recheck_schedule(step=step, now=now - timedelta(days=31))  # due: on the dashboard and the step
    rechecks_due_remind(now=now)
    recheck = Recheck.objects.get(step=step)
    return {
        "learner": learner, "mentor": mentor, "area": area, "submitted": last, "open": open_attempt, "step": step,
        "recheck": recheck,
    }  # fmt: skip


def _urls(world: dict) -> dict[str, str]:
    return {
        "dashboard": reverse("dashboard"),
        "self_assessment": reverse("self_assessment"),
        "self_assessment_area": reverse("self_assessment_area", args=[world["area"].slug]),
        "quiz_list": reverse("quiz_list"),
        "attempt_question": reverse("attempt_question", args=[world["open"].pk, 2]),
        "attempt_overview": reverse("attempt_overview", args=[world["open"].pk]),
        "attempt_results": reverse("attempt_results", args=[world["submitted"].pk]),
        "results": reverse("results"),
        "matrix": reverse("matrix"),
        "profile": reverse("profile"),
        "roadmap": reverse("roadmap"),
        "roadmap_map": reverse("roadmap_map"),
        "step_detail": reverse("step_detail", args=[world["step"].pk]),
        "notifications": reverse("notifications"),
        "recheck": reverse("recheck", args=[world["recheck"].pk]),
    }


PAGE_LIMIT = 8  # queries per page, the session and the user included
AUTOSAVE_LIMIT = 6  # SQL statements per answer saved (the transaction's own markers not counted)


def _statements(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]


def _warm_count(client, url: str) -> int:
    """Queries of the second request: the first reads the content into the process's copy, which
    production keeps for every request until the content changes (assessments/content.py). In
    between, the standing and the roadmap change (as after an answer, a rating or a comment), so the
    fragments cached under them are rendered again: the count is the page's first view after a change."""
    client.get(url)
    LearnerStanding.objects.update(computed_at=F("computed_at") + timedelta(microseconds=1))
    Roadmap.objects.update(revision=F("revision") + 1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _query_counts(client, size: int) -> dict[str, int]:
    world = _world(size)
    client.force_login(world["learner"])
    counts = {name: _warm_count(client, url) for name, url in _urls(world).items()}
    question = world["open"].quiz.questions.order_by("order", "id").first()
    choice = question.choices.order_by("id").first()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            reverse("attempt_answer", args=[world["open"].pk, 1]),
            {"choice": [choice.pk]},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    counts["autosave"] = len(_statements(queries))
    test = placement_start(learner_id=world["learner"].pk, now=timezone.now())
    placement_answer(test_id=test.pk, position=1, choice_ids=[], now=timezone.now(), dont_know=True)
    counts["placement"] = _warm_count(client, reverse("placement"))
    counts["placement_answered"] = _warm_count(client, reverse("placement_question", args=[test.pk, 1]))
    counts["placement_question"] = _warm_count(client, reverse("placement_question", args=[test.pk, 2]))
    client.force_login(world["mentor"])
    counts["mentee_detail"] = _warm_count(client, reverse("mentee_detail", args=[world["learner"].pk]))
    counts["mentor_dashboard"] = _warm_count(client, reverse("mentor_dashboard"))
    opened = reverse("mentee_step_detail", args=[world["learner"].pk, world["step"].pk])
    counts["mentee_step_detail"] = _warm_count(client, opened)
    client.logout()  # the shared card, as a visitor opens it
    card = card_share(learner_id=world["learner"].pk, shared=True, now=timezone.now())
    counts["profile_card"] = _warm_count(client, reverse("profile_card", args=[card.code]))
    return counts


def test_learner_and_mentor_pages_query_counts_do_not_grow_with_data_and_stay_small(client):
    small = _query_counts(client, 5)
    large = _query_counts(client, 50)
    print(f"queries per page: {small}")
    assert small == large
    autosave = small.pop("autosave")
    assert autosave <= AUTOSAVE_LIMIT
    assert max(small.values()) <= PAGE_LIMIT, {name: n for name, n in small.items() if n > PAGE_LIMIT}
