from assessments.scoring import (
    Outcome,
    is_answer_correct,
    ladder_position,
    proficiency_estimate,
    proficiency_step,
    score_fraction,
)

SPREAD = [1, 2, 2, 3, 4, 5]


def test_no_answers_give_no_estimate():
    assert proficiency_estimate([]) is None


def test_all_wrong_estimates_near_none_with_confidence():
    estimate = proficiency_estimate([Outcome(d, False) for d in SPREAD])
    assert estimate.step == 0
    assert estimate.confidence == "high"


def test_all_right_estimates_expert():
    estimate = proficiency_estimate([Outcome(d, True) for d in SPREAD])
    assert estimate.step == 4
    assert estimate.proficiency > 3.5


def test_one_question_is_not_sure():
    estimate = proficiency_estimate([Outcome(3, True)])
    assert estimate.confidence == "low"
    assert estimate.questions == 1


def test_more_questions_make_the_estimate_surer():
    few = proficiency_estimate([Outcome(d, d <= 3) for d in SPREAD])
    many = proficiency_estimate([Outcome(d, d <= 3) for d in SPREAD * 3])
    assert many.spread < few.spread


def test_right_answers_to_harder_questions_estimate_higher():
    hard = proficiency_estimate([Outcome(4, True)] * 3)
    easy = proficiency_estimate([Outcome(1, True)] * 3)
    assert hard.proficiency > easy.proficiency + 0.5


def test_wrong_answers_to_easy_questions_estimate_lower():
    easy = proficiency_estimate([Outcome(1, False)] * 3)
    hard = proficiency_estimate([Outcome(5, False)] * 3)
    assert easy.proficiency < hard.proficiency


def test_easy_right_hard_wrong_lands_in_the_middle():
    estimate = proficiency_estimate([Outcome(d, d <= 3) for d in SPREAD])
    assert estimate.step in (2, 3)


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


REQUIREMENTS = [{1: 1, 2: 1}, {1: 2, 2: 2}, {1: 3, 2: 3}]


def test_ladder_position_below_the_first_level():
    position = ladder_position(proficiency={}, requirements=REQUIREMENTS, competencies=[1, 2])
    assert (position.level_index, position.next_index, position.met, position.total) == (None, 0, 0, 2)


def test_ladder_position_counts_progress_into_the_next_level():
    position = ladder_position(proficiency={1: 2.0, 2: 1.2}, requirements=REQUIREMENTS, competencies=[1, 2])
    assert (position.level_index, position.next_index, position.progress) == (0, 1, 0.5)


def test_ladder_position_at_the_top():
    position = ladder_position(proficiency={1: 4, 2: 4}, requirements=REQUIREMENTS, competencies=[1, 2])
    assert (position.level_index, position.next_index, position.progress) == (2, None, 1.0)


def test_ladder_position_needs_every_expectation_of_a_level():
    position = ladder_position(proficiency={1: 4, 2: 1}, requirements=REQUIREMENTS, competencies=[1, 2])
    assert position.level_index == 0


def test_no_competencies_meet_no_level():
    position = ladder_position(proficiency={}, requirements=[{}, {}], competencies=[])
    assert (position.level_index, position.next_index, position.total) == (None, None, 0)
