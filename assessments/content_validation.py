"""Rules that keep the shipped content correct, over a plain content bundle (see content_files)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from statistics import median
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from .models import Question, Resource, Stack

_url_validator = URLValidator(schemes=["http", "https"])
_RESOURCE_KINDS = set(Resource.Kind.values)
_STACKS = set(Stack.values)
# Choices are shown shuffled (attempts.choice_order), so no choice may point at the others.
_REFERS_TO_OTHERS = re.compile(
    r"\b(all|none|both|neither) of (the|these)\b.*\b(above|below|options|choices|answers)\b|"
    r"\b(all|none) of these\b",
    re.IGNORECASE,
)


def _is_url(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        _url_validator(value)
    except ValidationError:
        return False
    return True


def normalized_text(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def prerequisite_cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle once, as the path of slugs that leads back to its start (depth-first search)."""
    WHITE, GREY, BLACK = 0, 1, 2
    color = dict.fromkeys(graph, WHITE)
    cycles: list[list[str]] = []
    stack: list[str] = []

    def visit(node: str) -> None:
        color[node] = GREY
        stack.append(node)
        for nxt in graph.get(node, []):
            if nxt not in color:
                continue
            if color[nxt] == GREY:
                cycles.append(stack[stack.index(nxt) :] + [nxt])
            elif color[nxt] == WHITE:
                visit(nxt)
        stack.pop()
        color[node] = BLACK

    for node in sorted(graph):
        if color[node] == WHITE:
            visit(node)
    return cycles


def _missing(where: str, data: dict, *fields: str) -> Iterable[str]:
    for name in fields:
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            yield f"{where}: {name} must be text, not {value!r}"
        elif not str(value or "").strip():
            yield f"{where}: {name} is missing"


def _choice_problems(where: str, question: dict) -> Iterable[str]:
    choices = question.get("choices") or []
    for number, choice in enumerate(choices, start=1):
        if not isinstance(choice, dict):
            yield f"{where}: choice {number} must be a mapping with text and correct"
            return
        yield from _missing(f"{where} choice {number}", choice, "text")
        if not isinstance(choice.get("correct"), bool):
            yield f"{where} choice {number}: correct must be true or false, not {choice.get('correct')!r}"
    correct = sum(1 for choice in choices if choice.get("correct") is True)
    if len(choices) < 2:
        yield f"{where}: needs at least two choices"
    if correct == 0:
        yield f"{where}: no correct choice"
    kind = question.get("kind")
    if kind not in Question.Kind.values:
        yield f"{where}: kind must be one of {', '.join(Question.Kind.values)}, not {kind!r}"
    elif kind == Question.Kind.SINGLE and correct > 1:
        yield f"{where}: single-choice question has {correct} correct choices (exactly one allowed)"
    texts = [normalized_text(choice.get("text", "")) for choice in choices]
    if len(set(texts)) != len(texts):
        yield f"{where}: two choices have the same text"
    for choice in choices:
        if _REFERS_TO_OTHERS.search(str(choice.get("text", ""))):
            yield (
                f"{where}: choice {choice.get('text')!r} refers to the other choices, "
                "but choices are shown in a shuffled order; make each choice stand alone"
            )


def _list_of_mappings(where: str, value: Any) -> Iterable[str]:
    if value is None:
        return
    if not isinstance(value, list):
        yield f"{where} must be a list"
        return
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            yield f"{where} item {number} must be a mapping of fields, not {item!r}"


def shape_problems(bundle: Any) -> list[str]:
    """What would stop the rules from even reading the bundle: wrong containers and field types."""
    if not isinstance(bundle, dict):
        return ["the content must be a mapping with levels and areas"]
    problems = [*_list_of_mappings("levels", bundle.get("levels")), *_list_of_mappings("areas", bundle.get("areas"))]
    if problems:
        return problems
    for area in bundle.get("areas") or []:
        where = f"area {area.get('slug', '?')}"
        quiz = area.get("quiz")
        if not isinstance(quiz, dict):
            problems.append(f"{where}: quiz must be a mapping with a slug")
        else:
            for field in ("time_limit_minutes", "retake_after_days"):
                value = quiz.get(field)
                if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                    problems.append(f"{where}: quiz {field} must be a whole number >= 0 or empty, not {value!r}")
        problems.extend(_list_of_mappings(f"{where} competencies", area.get("competencies")))
        for competency in area.get("competencies") or []:
            if not isinstance(competency, dict):
                continue
            cwhere = f"competency {competency.get('slug', '?')}"
            if not isinstance(competency.get("expectations") or {}, dict):
                problems.append(f"{cwhere}: expectations must be a mapping of level slug to cell")
            if not isinstance(competency.get("prerequisites") or [], list):
                problems.append(f"{cwhere}: prerequisites must be a list of competency slugs")
            for name in ("resources", "questions"):
                problems.extend(_list_of_mappings(f"{cwhere} {name}", competency.get(name)))
            for question in competency.get("questions") or []:
                if isinstance(question, dict):
                    problems.extend(
                        _list_of_mappings(f"question {question.get('slug', '?')} choices", question.get("choices"))
                    )
    for kind in ("level", "area"):
        for container in bundle.get(f"{kind}s") or []:
            problems.extend(_missing(f"{kind} {container.get('slug', '?')}", container, "slug", "name"))
    return problems


def content_problems(bundle: dict) -> list[str]:
    """Every problem in the bundle, one clear message each; empty when the content is sound."""
    problems: list[str] = shape_problems(bundle)
    if problems:
        return problems
    level_slugs = [level.get("slug") for level in bundle.get("levels", [])]
    if len(set(level_slugs)) != len(level_slugs):
        problems.append("levels: two levels share a slug")
    if not level_slugs:
        problems.append("levels: the ladder has no levels")

    competencies: dict[str, dict] = {}
    question_slugs: set[str] = set()
    question_texts: dict[str, str] = {}
    for area in bundle.get("areas", []):
        area_slug = area.get("slug", "?")
        if not area.get("quiz", {}).get("slug"):
            problems.append(f"area {area_slug}: has no quiz slug")
        if not isinstance(area.get("quiz", {}).get("published", True), bool):
            problems.append(f"area {area_slug}: quiz published must be true or false")
        if not area.get("competencies"):
            problems.append(f"area {area_slug}: has no competencies")
        for competency in area.get("competencies") or []:
            slug = competency.get("slug", "?")
            where = f"competency {slug}"
            if slug in competencies:
                problems.append(f"{where}: slug used twice")
            competencies[slug] = competency
            problems.extend(_missing(where, competency, "name"))

            expectations = competency.get("expectations") or {}
            previous: tuple[str, int] | None = None
            for level in level_slugs:
                cell = expectations.get(level)
                if cell is None:
                    problems.append(f"{where}: missing matrix cell for level {level}")
                    continue
                if not isinstance(cell, dict):
                    problems.append(f"{where} at {level}: the cell needs a proficiency and a description")
                    continue
                proficiency = cell.get("proficiency")
                if not isinstance(proficiency, int) or not 0 <= proficiency <= 4:
                    problems.append(f"{where} at {level}: proficiency must be 0-4, not {proficiency!r}")
                    continue
                if not str(cell.get("description", "")).strip():
                    problems.append(f"{where} at {level}: the expectation has no description")
                if previous and proficiency < previous[1]:
                    problems.append(
                        f"{where}: expectation decreases from {previous[1]} at {previous[0]} to {proficiency} at {level}"
                    )
                previous = (level, proficiency)
            for level in expectations:
                if level not in level_slugs:
                    problems.append(f"{where}: expectation for unknown level {level}")

            resources = competency.get("resources") or []
            if not resources:
                problems.append(f"{where}: has no resources")
            for resource in resources:
                problems.extend(_missing(f"{where} resource", resource, "title"))
                if not _is_url(resource.get("url")):
                    problems.append(f"{where}: malformed resource URL {resource.get('url')!r}")
                if resource.get("kind") not in _RESOURCE_KINDS:
                    problems.append(
                        f"{where}: resource kind {resource.get('kind')!r} is not one of {sorted(_RESOURCE_KINDS)}"
                    )
                hours = resource.get("hours")
                if not isinstance(hours, int) or hours < 1:
                    problems.append(f"{where}: resource {resource.get('title')!r} needs whole hours >= 1")
                if resource.get("proficiency") not in range(0, 5):
                    problems.append(f"{where}: resource {resource.get('title')!r} proficiency must be 0-4")
                if resource.get("stack") not in (None, "", *_STACKS):
                    problems.append(
                        f"{where}: resource {resource.get('title')!r} stack must be one of {sorted(_STACKS)} or empty"
                    )
            aimed = {resource.get("proficiency") for resource in resources}
            named = {c.get("proficiency") for c in expectations.values() if isinstance(c, dict)}
            for proficiency in sorted(p for p in named if isinstance(p, int) and p > 0):
                if resources and proficiency not in aimed:
                    problems.append(
                        f"{where}: no resource aims at {proficiency}, which an expectation asks for "
                        "(every proficiency the matrix names needs one)"
                    )

            questions = competency.get("questions") or []
            if not questions:
                problems.append(f"{where}: has no questions")
            for question in questions:
                qslug = question.get("slug", "?")
                qwhere = f"question {qslug}"
                if qslug in question_slugs:
                    problems.append(f"{qwhere}: slug used twice")
                question_slugs.add(qslug)
                if question.get("difficulty") not in range(1, 6):
                    problems.append(f"{qwhere}: difficulty must be 1-5")
                problems.extend(_missing(qwhere, question, "text"))
                if not str(question.get("explanation", "")).strip():
                    problems.append(f"{qwhere}: has no explanation")
                text = normalized_text(question.get("text", ""))
                if text in question_texts:
                    problems.append(f"{qwhere}: duplicate of question {question_texts[text]}")
                else:
                    question_texts[text] = qslug
                problems.extend(_choice_problems(qwhere, question))

    graph = {}
    for slug, competency in competencies.items():
        prerequisites = competency.get("prerequisites") or []
        for prerequisite in prerequisites:
            if prerequisite not in competencies:
                problems.append(f"competency {slug}: unknown prerequisite {prerequisite}")
        graph[slug] = [p for p in prerequisites if p in competencies]
    for cycle in prerequisite_cycles(graph):
        problems.append(f"prerequisite cycle: {' -> '.join(cycle)}")
    problems.extend(bank_problems(list(competencies.values())))
    return problems


# A bank that measures: no guessing cue in where the key stands by length, multiple-choice
# questions that vary how many choices are right, and hard questions wherever the ladder asks for
# an expert, so the top of the scale can be told apart (see ARCHITECTURE.md, "Measurement").
MAX_KEY_RANK_SHARE = 40  # % of single-choice keys at any one length rank; chance is 25 with four choices
MAX_SAME_CORRECT_COUNT_SHARE = 60  # % of multiple-choice questions with the same number of right choices
HARD_DIFFICULTY = 4
MIN_BANK_FOR_SHARES = 20  # shares of a handful of questions say nothing about cues
MIN_HARD_QUESTIONS = 2  # in every competency whose highest requirement is expert (4)


def key_length_rank(question: dict) -> int | None:
    """Where a single-choice key stands by length: 1 = longest, 2 = second-longest...; None for others."""
    choices = [c for c in question.get("choices") or [] if isinstance(c, dict)]
    keys = [len(str(c.get("text", ""))) for c in choices if c.get("correct") is True]
    if question.get("kind") != Question.Kind.SINGLE or len(keys) != 1 or len(choices) < 2:
        return None
    return 1 + sum(1 for c in choices if c.get("correct") is not True and len(str(c.get("text", ""))) > keys[0])


def key_rank_shares(questions: list[dict]) -> dict[int, float]:
    """Share (%) of single-choice keys at each length rank."""
    ranks = [r for r in (key_length_rank(q) for q in questions) if r is not None]
    return {rank: 100 * ranks.count(rank) / len(ranks) for rank in sorted(set(ranks))} if ranks else {}


def correct_count_shares(questions: list[dict]) -> dict[int, float]:
    """Share (%) of multiple-choice questions by how many of their choices are right."""
    counts = [
        sum(1 for c in q.get("choices") or [] if isinstance(c, dict) and c.get("correct") is True)
        for q in questions
        if q.get("kind") == Question.Kind.MULTIPLE
    ]
    return {n: 100 * counts.count(n) / len(counts) for n in sorted(set(counts))} if counts else {}


def _top_requirement(competency: dict) -> int:
    cells = [c for c in (competency.get("expectations") or {}).values() if isinstance(c, dict)]
    return max((c.get("proficiency") for c in cells if isinstance(c.get("proficiency"), int)), default=0)


def hard_question_count(competency: dict) -> int:
    return sum(
        1
        for q in competency.get("questions") or []
        if isinstance(q, dict) and isinstance(q.get("difficulty"), int) and q["difficulty"] >= HARD_DIFFICULTY
    )


def bank_problems(competencies: list[dict]) -> list[str]:
    competencies = [c for c in competencies if isinstance(c, dict)]
    questions = [q for c in competencies for q in c.get("questions") or [] if isinstance(q, dict)]
    problems = []
    singles = sum(1 for q in questions if key_length_rank(q) is not None)
    for rank, share in key_rank_shares(questions).items():
        if share > MAX_KEY_RANK_SHARE and singles >= MIN_BANK_FOR_SHARES:
            problems.append(
                f"bank: {share:.1f}% of single-choice keys are the choice ranked {rank} by length "
                f"(at most {MAX_KEY_RANK_SHARE}%): a learner could guess by length"
            )
    for count, share in correct_count_shares(questions).items():
        if share > MAX_SAME_CORRECT_COUNT_SHARE and len(questions) >= MIN_BANK_FOR_SHARES:
            problems.append(
                f"bank: {share:.1f}% of multiple-choice questions have exactly {count} right choices "
                f"(at most {MAX_SAME_CORRECT_COUNT_SHARE}%): vary how many are right"
            )
    for competency in competencies:
        hard = hard_question_count(competency)
        if _top_requirement(competency) >= 4 and hard < MIN_HARD_QUESTIONS:
            problems.append(
                f"competency {competency.get('slug')}: the ladder expects an expert (4) but it has {hard} "
                f"question(s) of difficulty {HARD_DIFFICULTY}-5 (at least {MIN_HARD_QUESTIONS})"
            )
    return problems


def key_is_longest(question: dict) -> bool:
    """Whether a single-choice question's correct choice is longer than every other: a cue to guess by."""
    choices = question.get("choices") or []
    correct = [len(str(c.get("text", ""))) for c in choices if c.get("correct") is True]
    wrong = [len(str(c.get("text", ""))) for c in choices if c.get("correct") is not True]
    return (
        question.get("kind") == Question.Kind.SINGLE and len(correct) == 1 and bool(wrong) and correct[0] > max(wrong)
    )


def content_counts(bundle: dict) -> dict[str, float]:
    competencies = [c for area in bundle.get("areas", []) for c in area.get("competencies") or []]
    per_competency = [len(c.get("questions") or []) for c in competencies] or [0]
    singles = [q for c in competencies for q in c.get("questions") or [] if q.get("kind") == Question.Kind.SINGLE]
    return {
        "levels": len(bundle.get("levels", [])),
        "areas": len(bundle.get("areas", [])),
        "competencies": len(competencies),
        "cells": sum(len(c.get("expectations") or {}) for c in competencies),
        "questions": sum(per_competency),
        "questions per competency (min)": min(per_competency),
        "questions per competency (median)": median(per_competency),
        "single-choice keys longest choice (%)": round(
            100 * sum(key_is_longest(q) for q in singles) / len(singles) if singles else 0
        ),
        **{
            f"single-choice keys at length rank {rank} (%)": round(share)
            for rank, share in key_rank_shares([q for c in competencies for q in c.get("questions") or []]).items()
        },
        **{
            f"multiple-choice with {n} right (%)": round(share)
            for n, share in correct_count_shares([q for c in competencies for q in c.get("questions") or []]).items()
        },
        "hard questions per competency (min)": min((hard_question_count(c) for c in competencies), default=0),
        **{
            f"competencies with {n}{'+' if n == 3 else ''} hard question{'' if n == 1 else 's'}": sum(
                1 for c in competencies if min(hard_question_count(c), 3) == n
            )
            for n in range(4)
        },
        "resources": sum(len(c.get("resources") or []) for c in competencies),
        "resources per competency (min)": min((len(c.get("resources") or []) for c in competencies), default=0),
    }
