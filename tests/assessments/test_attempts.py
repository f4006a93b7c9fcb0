from assessments.attempts import choice_order


def test_choice_order_is_a_permutation_fixed_by_attempt_and_question():
    items = list(range(8))
    first = choice_order(attempt_id=1, question_id=7, choices=items)
    assert sorted(first) == items
    assert choice_order(attempt_id=1, question_id=7, choices=items) == first
    assert {tuple(choice_order(attempt_id=a, question_id=7, choices=items)) for a in range(2, 12)} - {tuple(first)}
