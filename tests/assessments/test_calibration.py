"""Item analysis and calibration: the rules on hand-made data, the job, the task and the admin."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.calibration_jobs import questions_recalibrate
from assessments.content import content_version
from assessments.measurement.calibration import (
    MIN_ANSWERS,
    ChoiceRole,
    ItemAnswer,
    item_analysis,
    item_calibrate,
)
from assessments.measurement.items import item_prior, p_correct
from assessments.models import (
    Attempt,
    CompetencyEstimate,
    LearnerProfile,
    PlacementAnswer,
    PlacementTest,
    Question,
    Response,
)
from assessments.tasks import recalibrate_items
from roadmap.models import RoadmapRequest
from tests.factories import (
    AdminFactory,
    AttemptFactory,
    LevelFactory,
    QuizFactory,
    UserFactory,
    question_with_choices,
    right_choice,
    wrong_choice,
)

RIGHT, WRONG_A, WRONG_B, RETIRED = 1, 2, 3, 4
CHOICES = [
    ChoiceRole(RIGHT, correct=True),
    ChoiceRole(WRONG_A, correct=False),
    ChoiceRole(WRONG_B, correct=False),
    ChoiceRole(RETIRED, correct=False, retired=True),
]


def _answers(*picks: tuple[int, int], rest: float | None = None) -> list[ItemAnswer]:
    """``count`` answers picking ``choice`` for each (choice, count)."""
    return [
        ItemAnswer(right=choice == RIGHT, chosen=frozenset({choice}), rest=rest)
        for choice, n in picks
        for _ in range(n)
    ]


def _analysis(answers, guessing=0.25):
    return item_analysis(answers=answers, choices=CHOICES, guessing=guessing)


# --- item analysis ----------------------------------------------------------------------------


def test_it_counts_facility_and_choice_shares_by_choice_id():
    analysis = _analysis(_answers((RIGHT, 6), (WRONG_A, 3), (WRONG_B, 1)))
    assert analysis.answer_count == 10
    assert analysis.facility == pytest.approx(0.6)
    assert analysis.choice_shares == {"1": 0.6, "2": 0.3, "3": 0.1, "4": 0.0}


def test_a_healthy_question_has_no_flags():
    assert _analysis(_answers((RIGHT, 20), (WRONG_A, 10), (WRONG_B, 10))).flags == ()


def test_it_flags_a_question_almost_everybody_gets_right():
    assert _analysis(_answers((RIGHT, 96), (WRONG_A, 2), (WRONG_B, 2))).flags == ("too-easy",)
    assert "too-easy" not in _analysis(_answers((RIGHT, 55), (WRONG_A, 3), (WRONG_B, 2))).flags


def test_it_flags_a_question_right_hardly_more_often_than_by_guessing():
    assert _analysis(_answers((RIGHT, 9), (WRONG_A, 15), (WRONG_B, 16))).flags == ("too-hard",)  # 22.5% < 30%
    assert _analysis(_answers((RIGHT, 13), (WRONG_A, 13), (WRONG_B, 14))).flags == ()  # 32.5%


def test_it_flags_a_distractor_nobody_picks_but_not_a_retired_choice():
    assert _analysis(_answers((RIGHT, 30), (WRONG_A, 20), (WRONG_B, 0))).flags == ("unused-distractor",)
    assert _analysis(_answers((RIGHT, 30), (WRONG_A, 19), (WRONG_B, 1))).flags == ()  # 2% is used
    # RETIRED is never picked in any of these: a retired choice is not a distractor any more.


def test_it_raises_no_flag_below_the_minimum_number_of_answers():
    few = _answers((RIGHT, MIN_ANSWERS - 1))
    assert _analysis(few).facility == 1.0
    assert _analysis(few).flags == ()


def _rested(right_rest: float, wrong_rest: float, count: int) -> list[ItemAnswer]:
    """Half right, half wrong, each with a rest score around the given one."""
    answers = []
    for i in range(count):
        right = i % 2 == 0
        rest = (right_rest if right else wrong_rest) + 0.01 * (i % 5)
        answers.append(ItemAnswer(right=right, chosen=frozenset({RIGHT if right else WRONG_A + i // 2 % 2}), rest=rest))
    return answers


def test_the_discrimination_index_is_positive_when_stronger_learners_get_it_right():
    analysis = _analysis(_rested(right_rest=0.8, wrong_rest=0.3, count=40))
    assert analysis.discrimination_index > 0.9
    assert "negative-discrimination" not in analysis.flags


def test_it_flags_a_question_the_weaker_learners_get_right_more_often():
    analysis = _analysis(_rested(right_rest=0.3, wrong_rest=0.8, count=40))
    assert analysis.discrimination_index < -0.9
    assert analysis.flags == ("negative-discrimination",)


def test_a_negative_index_on_few_answers_is_not_flagged():
    analysis = _analysis(_rested(right_rest=0.3, wrong_rest=0.8, count=MIN_ANSWERS - 1))
    assert analysis.discrimination_index < 0
    assert analysis.flags == ()


def test_placement_answers_count_for_facility_but_not_for_the_discrimination_index():
    analysis = _analysis(_answers((RIGHT, 20), (WRONG_A, 20), rest=None))
    assert analysis.facility == 0.5
    assert analysis.discrimination_index is None


# --- calibration ------------------------------------------------------------------------------

PRIOR = item_prior(difficulty_label=2, single_choice=True, choices=4)  # a 1.7, b 1.4, c 0.25


def _simulated(count: int, *, difficulty: float, seed: int = 7):
    """Learners with stored proficiency (mean, sd) and answers from a true θ within that spread."""
    rng = np.random.default_rng(seed)
    proficiency = rng.uniform(0.0, 4.0, count)
    spread = np.full(count, 0.3)
    theta = proficiency + spread * rng.standard_normal(count)
    right = rng.random(count) < p_correct(theta, 1.5, difficulty, PRIOR.guessing)
    return {"right": right, "proficiency": proficiency, "spread": spread}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_calibration_recovers_a_known_difficulty_from_a_few_hundred_answers(seed):
    calibrated = item_calibrate(**_simulated(400, difficulty=2.4, seed=seed), prior=PRIOR)
    assert calibrated.answers == 400
    assert calibrated.params.difficulty == pytest.approx(2.4, abs=0.25)
    assert calibrated.params.guessing == PRIOR.guessing


def test_calibration_keeps_the_prior_below_the_minimum_number_of_answers():
    assert item_calibrate(**_simulated(MIN_ANSWERS - 1, difficulty=3.5), prior=PRIOR) is None


def test_calibration_on_few_answers_stays_nearer_the_prior_than_on_many():
    few = item_calibrate(**_simulated(MIN_ANSWERS, difficulty=3.4), prior=PRIOR)
    many = item_calibrate(**_simulated(600, difficulty=3.4), prior=PRIOR)
    assert PRIOR.difficulty < few.params.difficulty < many.params.difficulty


def test_calibration_keeps_parameters_within_bounds():
    data = _simulated(200, difficulty=1.0)
    data["right"] = np.zeros(200, dtype=bool)  # nobody right: as hard as allowed, not infinitely
    calibrated = item_calibrate(**data, prior=PRIOR)
    assert calibrated.params.difficulty <= 5.0
    assert 0.3 <= calibrated.params.discrimination <= 4.0


# --- the job ----------------------------------------------------------------------------------


@pytest.fixture
def answered_quiz(db):
    """A quiz of two single-choice questions; 40 learners with a stored proficiency 0.1 … 4.0 answer
    the first right when their proficiency is above 2, and the second always right."""
    quiz = QuizFactory()
    first = question_with_choices(quiz=quiz, order=0, difficulty=2)
    second = question_with_choices(quiz=quiz, competency=first.competency, order=1, difficulty=1)
    now = timezone.now()
    target = LevelFactory()
    learners = []
    for i in range(1, 41):
        learner = UserFactory()
        LearnerProfile.objects.create(user=learner, target_level=target)
        CompetencyEstimate.objects.create(
            learner=learner, competency=first.competency, proficiency=i / 10, spread=0.3, sources="quiz"
        )
        attempt = AttemptFactory(learner=learner, quiz=quiz)
        attempt.submit(now=now, score=0.5)
        for question, right in ((first, i > 20), (second, True)):
            response = Response.objects.create(attempt=attempt, question=question, answered_at=now)
            response.choices.set([right_choice(question) if right else wrong_choice(question)])
        learners.append(learner)
    return {"quiz": quiz, "first": first, "second": second, "learners": learners}


def test_the_job_stores_the_item_analysis_and_the_calibrated_parameters(answered_quiz):
    first, second = answered_quiz["first"], answered_quiz["second"]
    changed = questions_recalibrate(now=timezone.now())
    first.refresh_from_db()
    second.refresh_from_db()
    assert changed == 2
    assert first.answer_count == 40 and first.facility == 0.5
    assert first.choice_shares[str(right_choice(first).pk)] == 0.5
    assert first.discrimination_index is None  # the rest (the second question) does not vary
    assert first.flags == "unused-distractor"  # nobody picks the second wrong choice
    assert first.is_calibrated and first.irt_answers == 40
    assert first.irt_difficulty > item_prior(difficulty_label=2, single_choice=True, choices=3).difficulty
    assert first.irt_guessing is None  # guessing stays the prior
    assert second.facility == 1.0 and set(second.flags.split(",")) == {"too-easy", "unused-distractor"}
    assert first.analysed_at is not None


def test_the_job_asks_for_recomputes_only_when_parameters_change(answered_quiz):
    version = content_version()
    questions_recalibrate(now=timezone.now())
    assert content_version() != version
    assert RoadmapRequest.objects.filter(reason__contains="calibration").count() == 40
    RoadmapRequest.objects.all().delete()
    assert questions_recalibrate(now=timezone.now()) == 0
    assert not RoadmapRequest.objects.exists()


def test_the_job_leaves_the_prior_below_the_minimum_but_stores_the_analysis(answered_quiz):
    Attempt.objects.filter(learner__in=answered_quiz["learners"][:15]).delete()
    assert questions_recalibrate(now=timezone.now()) == 0
    first = Question.objects.get(pk=answered_quiz["first"].pk)
    assert first.answer_count == 25 and first.irt_difficulty is None and not first.is_calibrated
    assert first.flags == ""  # and no flags on 25 answers
    assert not RoadmapRequest.objects.exists()


def test_learners_without_a_stored_proficiency_count_in_the_analysis_but_not_in_calibration(answered_quiz):
    CompetencyEstimate.objects.filter(learner__in=answered_quiz["learners"][:15]).delete()
    questions_recalibrate(now=timezone.now())
    first = Question.objects.get(pk=answered_quiz["first"].pk)
    assert first.answer_count == 40 and first.irt_difficulty is None


def test_unanswered_questions_and_open_attempts_are_not_answers(answered_quiz):
    first, second = answered_quiz["first"], answered_quiz["second"]
    learner = UserFactory()
    skipped = AttemptFactory(learner=learner, quiz=answered_quiz["quiz"])
    skipped.submit(now=timezone.now(), score=0)
    Response.objects.create(attempt=skipped, question=first, answered_at=None)
    Response.objects.create(attempt=skipped, question=second, answered_at=timezone.now())  # no choice
    still_open = AttemptFactory(learner=UserFactory(), quiz=answered_quiz["quiz"])
    Response.objects.create(attempt=still_open, question=first, answered_at=timezone.now()).choices.set(
        [right_choice(first)]
    )
    questions_recalibrate(now=timezone.now())
    assert Question.objects.get(pk=first.pk).answer_count == 40
    assert Question.objects.get(pk=second.pk).answer_count == 40


def test_placement_answers_count_in_the_analysis(answered_quiz):
    first = answered_quiz["first"]
    now = timezone.now()
    test = PlacementTest.objects.create(
        learner=UserFactory(), started_at=now, deadline=now + timezone.timedelta(hours=1)
    )
    answer = PlacementAnswer.objects.create(
        test=test, position=1, question=first, correct=True, asked_at=now, answered_at=now
    )
    answer.choices.set([right_choice(first)])
    questions_recalibrate(now=now)
    first.refresh_from_db()
    assert first.answer_count == 41 and first.facility == pytest.approx(21 / 41)


def test_the_job_reads_answers_in_a_constant_number_of_queries(answered_quiz):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            questions_recalibrate(now=timezone.now())
        return len(captured)

    Attempt.objects.filter(learner__in=answered_quiz["learners"][:20]).delete()  # below the minimum: no recomputes
    small = queries()
    for n in range(2, 6):
        question_with_choices(quiz=answered_quiz["quiz"], competency=answered_quiz["first"].competency, order=n)
    assert queries() == small


def test_the_daily_task_runs_the_job(answered_quiz):
    assert recalibrate_items() == 2
    assert Question.objects.filter(analysed_at__isnull=False).count() == 2


def test_the_beat_schedule_runs_the_task_daily(answered_quiz, settings):
    from careerpath.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["recalibrate-items"]
    assert entry["schedule"].hour == {3}
    assert app.tasks[entry["task"]].apply().get() == 2


# --- the admin --------------------------------------------------------------------------------


def test_the_changelist_filters_by_flag_and_shows_the_figures(client, answered_quiz):
    first, second = answered_quiz["first"], answered_quiz["second"]
    questions_recalibrate(now=timezone.now())
    client.force_login(AdminFactory())
    url = reverse("admin:assessments_question_changelist")
    link = "/admin/assessments/question/{}/change/"

    too_easy = client.get(url, {"flag": "too-easy"}).content.decode()
    assert link.format(second.pk) in too_easy and link.format(first.pk) not in too_easy
    unused = client.get(url, {"flag": "unused-distractor"}).content.decode()
    assert link.format(second.pk) in unused and link.format(first.pk) in unused
    everything = client.get(url).content.decode()
    assert "50% right" in everything and "100% right" in everything
    assert "calibrated from 40 answers" in everything


def test_the_change_form_shows_how_often_each_choice_is_picked(client, answered_quiz):
    first = answered_quiz["first"]
    questions_recalibrate(now=timezone.now())
    client.force_login(AdminFactory())
    page = client.get(reverse("admin:assessments_question_change", args=[first.pk])).content.decode()
    assert "Choices picked" in page and "Share of 40 answers" in page
    assert page.count("<td>50%</td>") == 2 and "<td>0%</td>" in page


def test_an_uncalibrated_question_shows_its_authored_prior(client, answered_quiz):
    client.force_login(AdminFactory())
    page = client.get(reverse("admin:assessments_question_change", args=[answered_quiz["first"].pk]))
    assert "a 1.70 · b 1.40 · c 0.33 (authored prior)" in page.content.decode()


def test_the_recalibrate_action_runs_the_job(client, answered_quiz):
    client.force_login(AdminFactory())
    first = answered_quiz["first"]
    page = client.post(
        reverse("admin:assessments_question_changelist"),
        {"action": "recalibrate_selected", "_selected_action": [first.pk]},
        follow=True,
    )
    assert "Analysed 1 question(s); 1 with new item parameters." in page.content.decode()
    assert Question.objects.get(pk=first.pk).is_calibrated
    assert Question.objects.get(pk=answered_quiz["second"].pk).analysed_at is None
