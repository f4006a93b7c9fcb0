"""The measurement: item model, estimation, the ladder rule, placement selection (plain numpy, no database)."""

import numpy as np
import pytest

from assessments.measurement.estimation import CompetencyEvidence, level_of, posterior
from assessments.measurement.items import MULTIPLE_CHOICE_GUESSING, answer_rows, dont_know_share, item_prior, p_correct
from assessments.measurement.ladder import LadderModel
from assessments.measurement.placement import (
    HARD_CAP,
    MIN_QUESTIONS,
    PER_AREA,
    PER_COMPETENCY,
    item_bank,
    next_question,
    should_stop,
)
from assessments.scoring import is_answer_correct, proficiency_step, score_fraction

# Six competencies in two areas; the last two grow only at the top levels (a "manager" pair).
REQUIREMENTS = [
    [1, 2, 3, 4, 4],
    [1, 2, 3, 4, 4],
    [1, 2, 3, 3, 4],
    [2, 3, 4, 4, 4],
    [0, 0, 1, 2, 4],
    [0, 0, 1, 3, 4],
]
AREAS = (10, 10, 10, 20, 30, 30)


@pytest.fixture(scope="module")
def model():
    return LadderModel(tuple(range(1, 7)), AREAS, np.array(REQUIREMENTS))


def _answers(cid, labels, right):
    return [(*vars(item_prior(difficulty_label=d, single_choice=True, choices=4)).values(), right) for d in labels]


def test_guessing_is_one_over_the_choices_for_single_choice_and_small_for_multiple():
    assert item_prior(difficulty_label=3, single_choice=True, choices=4).guessing == 0.25
    assert item_prior(difficulty_label=3, single_choice=True, choices=5).guessing == 0.2
    assert item_prior(difficulty_label=3, single_choice=False, choices=4).guessing == MULTIPLE_CHOICE_GUESSING


def test_a_harder_label_means_a_higher_difficulty_and_right_answers_grow_with_proficiency():
    easy, hard = (item_prior(difficulty_label=d, single_choice=True, choices=4) for d in (1, 5))
    assert easy.difficulty < hard.difficulty
    p = p_correct(np.array([0.0, 2.0, 4.0]), hard.discrimination, hard.difficulty, hard.guessing)
    assert p[0] < p[1] < p[2] and p[0] >= hard.guessing


def test_no_evidence_is_not_assessed_not_below_the_first_level(model):
    result = posterior(model, {})
    assert not result.assessed and result.level_probabilities is None
    assert not any(c.assessed for c in result.competencies.values())


def test_every_answer_right_places_at_the_top_and_every_answer_wrong_at_the_bottom(model):
    top = posterior(model, {cid: CompetencyEvidence(answers=_answers(cid, [3, 4, 5, 5], True)) for cid in range(1, 7)})
    bottom = posterior(
        model, {cid: CompetencyEvidence(answers=_answers(cid, [1, 1, 2, 3], False)) for cid in range(1, 7)}
    )
    assert int(np.argmax(top.level_probabilities)) == 4
    assert int(np.argmax(bottom.level_probabilities)) == 0


def test_an_area_that_expects_nothing_at_a_level_does_not_place_a_beginner_there(model):
    beginner = posterior(model, {cid: CompetencyEvidence(answers=_answers(cid, [1, 2, 2], False)) for cid in (5, 6)})
    manager_area = beginner.area_level_probabilities[30]
    assert int(np.argmax(manager_area)) == 0  # not "Backend Developer", where the area expects nothing


def test_level_probabilities_sum_to_one(model):
    result = posterior(model, {1: CompetencyEvidence(answers=_answers(1, [2, 3], True))})
    assert result.level_probabilities.sum() == pytest.approx(1.0)
    assert (result.level_probabilities >= 0).all()


def test_more_answers_narrow_the_interval(model):
    few = posterior(model, {1: CompetencyEvidence(answers=_answers(1, [2, 3], True))}).competencies[1]
    many = posterior(model, {1: CompetencyEvidence(answers=_answers(1, [2, 3] * 6, True))}).competencies[1]
    assert many.sd < few.sd


def test_an_answer_about_one_competency_informs_the_others_but_leaves_them_not_assessed(model):
    strong = posterior(model, {1: CompetencyEvidence(answers=_answers(1, [4, 5, 5], True))})
    weak = posterior(model, {1: CompetencyEvidence(answers=_answers(1, [1, 2, 2], False))})
    assert strong.competencies[2].mean > weak.competencies[2].mean
    assert not strong.competencies[2].assessed and strong.competencies[1].assessed


def test_self_ratings_together_count_for_little_against_many_wrong_answers(model):
    rated = {cid: CompetencyEvidence(self_rating=4) for cid in range(1, 7)}
    for cid in range(1, 7):
        rated[cid].answers = _answers(cid, [1, 2, 2, 3], False)
    assert int(np.argmax(posterior(model, rated).level_probabilities)) <= 1


def test_a_mentor_rating_counts_more_than_a_self_rating(model):
    mentor = posterior(model, {1: CompetencyEvidence(mentor_rating=4)}).competencies[1]
    self_ = posterior(model, {1: CompetencyEvidence(self_rating=4)}).competencies[1]
    assert mentor.mean > self_.mean and mentor.sd < self_.sd


def test_the_ladder_rule_tolerates_one_weak_competency_but_not_many(model):
    lead = np.array([4, 4, 3, 4, 2, 3], dtype=float)
    assert level_of(model, lead) == 3
    one_weak = lead.copy()
    one_weak[4] = 1.0  # 5 of 6 counted Lead cells met: 83% ≥ 80%
    assert level_of(model, one_weak) == 3
    two_weak = one_weak.copy()
    two_weak[0] = 2.0
    assert level_of(model, two_weak) < 3
    assert level_of(model, np.zeros(6)) == 0


def test_the_next_question_respects_content_balance_and_exposure(model):
    questions = [(100 * cid + n, cid, 1.7, float(n % 5), 0.25) for cid in range(1, 7) for n in range(6)]
    bank = item_bank(model, questions)
    position = posterior(model, {}).position
    asked: list[int] = []
    rng = np.random.default_rng(0)
    while (index := next_question(bank, position, asked, rng)) is not None:
        asked.append(index)
    per_area = np.unique(bank.area_ids[asked], return_counts=True)[1]
    per_competency = np.unique(bank.rows[asked], return_counts=True)[1]
    assert per_area.max() <= PER_AREA and per_competency.max() <= PER_COMPETENCY
    picks = {next_question(bank, position, [], np.random.default_rng(seed)) for seed in range(20)}
    assert len(picks) > 1  # randomesque: not everyone gets the same first question


def test_the_test_stops_when_sure_and_always_at_the_hard_cap():
    sure = np.array([0.02, 0.9, 0.05, 0.02, 0.01])
    unsure = np.array([0.2, 0.2, 0.2, 0.2, 0.2])
    assert not should_stop(answered=MIN_QUESTIONS - 1, level_probabilities=sure)
    assert should_stop(answered=MIN_QUESTIONS, level_probabilities=sure)
    assert not should_stop(answered=20, level_probabilities=unsure)
    assert should_stop(answered=HARD_CAP, level_probabilities=unsure)


def test_proficiency_step_rounds_half_up_and_clamps():
    assert [proficiency_step(v) for v in (0.0, 0.49, 0.5, 2.5, 3.7, 9)] == [0, 0, 1, 3, 4, 4]


def test_multiple_choice_is_all_or_nothing():
    assert is_answer_correct(chosen=frozenset({1, 2}), correct=frozenset({1, 2}))
    assert not is_answer_correct(chosen=frozenset({1}), correct=frozenset({1, 2}))
    assert not is_answer_correct(chosen=frozenset({1, 2, 3}), correct=frozenset({1, 2}))
    assert not is_answer_correct(chosen=frozenset(), correct=frozenset())


def test_score_fraction_counts_unanswered_as_wrong():
    keys = {1: frozenset({10}), 2: frozenset({20}), 3: frozenset({30}), 4: frozenset({40})}
    assert score_fraction(answers={1: frozenset({10}), 2: frozenset({21})}, keys=keys) == 0.25
    assert score_fraction(answers={}, keys={}) == 0.0


def test_saying_i_dont_know_is_read_as_not_knowing_and_shrinks_the_guessing_on_other_answers():
    params = {1: (1.7, 2.0, 0.25), 2: (1.7, 2.0, 0.25), 3: (1.7, 2.0, 0.25)}
    never = dict(answer_rows([(1, "right"), (2, "wrong"), (3, "wrong")], params))
    says_so = dict(answer_rows([(1, "right"), (2, "dont_know"), (3, "dont_know")], params))
    assert never[1][2] == 0.25  # a learner who never says so keeps the full chance of a lucky guess
    assert says_so[2] == (1.7, 2.0, 0.0, False)  # no guess could have made it right
    assert says_so[1][2] < 0.25 and says_so[1][3] is True


def test_the_share_of_i_dont_know_grows_with_how_often_a_learner_says_it():
    assert dont_know_share(dont_know=0, wrong=10, guessing=0.25) < 0.1
    assert dont_know_share(dont_know=10, wrong=0, guessing=0.25) > 0.9
    assert 0.3 < dont_know_share(dont_know=5, wrong=5, guessing=0.25) < 0.7
