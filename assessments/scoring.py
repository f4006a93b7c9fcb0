"""Scoring rules: plain functions over plain data, no database or HTTP."""

from __future__ import annotations

from collections.abc import Mapping

ChoiceIds = frozenset[int]


def is_answer_correct(*, chosen: ChoiceIds, correct: ChoiceIds) -> bool:
    """All or nothing: a multiple-choice answer is right only with every correct choice and no other."""
    return bool(correct) and chosen == correct


def score_fraction(*, answers: Mapping[int, ChoiceIds], keys: Mapping[int, ChoiceIds]) -> float:
    """Share of the quiz's questions (``keys``) answered correctly; unanswered questions count as wrong."""
    if not keys:
        return 0.0
    right = sum(
        1 for qid, correct in keys.items() if is_answer_correct(chosen=answers.get(qid, frozenset()), correct=correct)
    )
    return right / len(keys)
