"""The planner on the shipped ladder and matrix: the plans a senior engineer would follow."""

import random
import re

import pytest

from assessments.content import content_load
from assessments.content_files import DEFAULT_CONTENT_DIR, bundle_read
from assessments.content_sync import content_import
from assessments.models import Competency
from roadmap.compute import planner_matrix
from roadmap.planner import FIND_OUT, build_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    content_import(bundle_read(DEFAULT_CONTENT_DIR))
    matrix, _ = planner_matrix(content_load(fresh=True))
    return matrix


def at_level(matrix, index: int) -> dict[int, int]:
    """A learner meeting exactly the expectations of the ``index``-th level."""
    level = matrix.levels[index]
    return {cid: competency.required.get(level.id, 0) for cid, competency in matrix.competencies.items()}


def test_a_junior_aiming_at_senior_has_a_backend_developer_and_a_senior_stage(shipped):
    plan = build_plan(estimates=at_level(shipped, 0), matrix=shipped, target_id=shipped.levels[2].id)
    assert [m.level.name for m in plan.milestones] == [shipped.levels[1].name, shipped.levels[2].name]
    assert all(len(m.steps) >= 20 for m in plan.milestones)
    # Programming fundamentals grows at both levels: a step in each, the second building on the first.
    fundamentals = Competency.objects.get(slug="programming-fundamentals").pk
    stages = [(s.from_proficiency, s.to_proficiency) for s in plan.steps if s.competency_id == fundamentals]
    assert stages == [(2, 3), (3, 4)]


def test_a_senior_aiming_at_manager_ends_with_the_manager_competencies(shipped):
    plan = build_plan(estimates=at_level(shipped, 2), matrix=shipped, target_id=shipped.levels[4].id)
    last = plan.milestones[-1]
    assert last.level.id == shipped.levels[4].id
    managerial = set(
        Competency.objects.filter(
            slug__in=["people-leadership", "organisation-design-hiring", "stakeholders-budgets", "technical-vision"]
        ).values_list("pk", flat=True)
    )
    assert managerial <= {s.competency_id for s in last.steps}


def test_no_reason_states_a_requirement_the_learner_already_meets(shipped):
    rng = random.Random(5)  # noqa: S311 - reproducible test learners
    for _ in range(200):
        estimates = {cid: rng.randrange(5) for cid in shipped.competencies if rng.random() < 0.9}
        target = rng.choice(shipped.levels[1:]).id
        for step in build_plan(estimates=estimates, matrix=shipped, target_id=target, stack="java").steps:
            if step.kind == FIND_OUT:
                assert step.competency_id not in estimates
                continue
            required = int(re.match(r".*? expects \w+ \((\d)\)", step.why).group(1))
            assert required == step.to_proficiency > step.from_proficiency >= estimates[step.competency_id]
            assert "you are at" not in step.why or f"({estimates[step.competency_id]})" in step.why


def test_every_step_has_a_resource_aimed_at_its_range_and_an_honest_range_of_hours(shipped):
    plan = build_plan(estimates=at_level(shipped, 0), matrix=shipped, target_id=shipped.levels[4].id)
    for step in plan.steps:
        competency = shipped.competencies[step.competency_id]
        aimed = {r.proficiency for r in competency.resources if r.id in step.resource_ids}
        assert aimed and all(step.from_proficiency < p <= step.to_proficiency for p in aimed)
        assert step.hours_low < step.hours < step.hours_high
    total = sum(s.hours for s in plan.steps)
    assert 4000 < total < 9000  # Junior to Architecture Manager: years of deliberate learning, not weeks


def test_a_learners_stack_brings_its_resources_first(shipped):
    fundamentals = Competency.objects.get(slug="programming-fundamentals")
    estimates = {**at_level(shipped, 0), fundamentals.pk: 1}
    for stack in ("python", "java", "go", "node", "php", "ruby", "dotnet"):
        plan = build_plan(estimates=estimates, matrix=shipped, target_id=shipped.levels[1].id, stack=stack)
        step = next(s for s in plan.steps if s.competency_id == fundamentals.pk)
        stacks = {r.stack for r in fundamentals.resources.filter(pk__in=step.resource_ids)}
        assert stack in stacks and stacks <= {stack, ""}, stack
