import re

from roadmap.planner import (
    FIND_OUT,
    PRACTICE_HOURS,
    CompetencySpec,
    LevelSpec,
    Matrix,
    ResourceSpec,
    build_plan,
    step_hours,
)

J, D, S = LevelSpec(1, "Junior"), LevelSpec(2, "Backend Developer"), LevelSpec(3, "Senior")


def spec(cid, name, required, prerequisites=(), resources=()):
    return CompetencySpec(
        id=cid,
        name=name,
        sort_key=(1, cid, cid),
        prerequisites=tuple(prerequisites),
        required=dict(zip((J.id, D.id, S.id), required, strict=True)),
        resources=tuple(resources),
    )


def matrix(*competencies):
    return Matrix(levels=(J, D, S), competencies={c.id: c for c in competencies})


A = spec(
    1, "Fundamentals", (1, 2, 3), resources=[ResourceSpec(11, 5, 2), ResourceSpec(12, 8, 3), ResourceSpec(13, 20, 4)]
)
B = spec(2, "Frameworks", (0, 1, 3), prerequisites=[1])
C = spec(3, "Caching", (1, 2, 2))
E = spec(5, "Git", (1, 1, 1))
DS = spec(4, "Distributed systems", (0, 0, 2), prerequisites=[2])
MATRIX = matrix(A, B, C, DS, E)
ESTIMATES = {1: 1, 2: 0, 3: 2, 4: 0, 5: 2}


def plan(estimates=ESTIMATES, m=MATRIX, target=S.id, stack=""):
    return build_plan(estimates=estimates, matrix=m, target_id=target, stack=stack)


def ids(steps):
    return [s.competency_id for s in steps]


def stages(result):
    return [
        (m.level.name, [(s.competency_id, s.from_proficiency, s.to_proficiency) for s in m.steps])
        for m in result.milestones
    ]


def test_a_competency_growing_over_several_levels_gets_a_step_in_each_milestone():
    assert stages(plan()) == [
        ("Backend Developer", [(1, 1, 2), (2, 0, 1)]),
        ("Senior", [(1, 2, 3), (2, 1, 3), (4, 0, 2)]),
    ]


def test_a_prerequisite_comes_before_what_builds_on_it_even_with_a_smaller_gap():
    senior = plan().milestones[1].steps
    assert ids(senior).index(1) < ids(senior).index(2) < ids(senior).index(4)
    assert senior[0].gap < senior[1].gap


def test_every_prerequisite_short_at_a_milestone_is_planned_in_it_or_before():
    placed = {}
    for number, milestone in enumerate(plan().milestones):
        for position, step in enumerate(milestone.steps):
            placed[(step.competency_id, milestone.level.id)] = (number, position)
    for (cid, level_id), where in placed.items():
        for prereq in MATRIX.competencies[cid].prerequisites:
            earlier = [w for (p, lvl), w in placed.items() if p == prereq and w[0] <= where[0]]
            short = ESTIMATES[prereq] < MATRIX.competencies[prereq].required[level_id]
            assert not short or (earlier and min(earlier) < where)


def test_within_a_milestone_larger_gaps_come_first():
    x, y = spec(6, "Small gap", (0, 1, 1)), spec(7, "Large gap", (0, 3, 3))
    assert ids(plan({6: 0, 7: 0}, matrix(x, y), D.id).steps) == [7, 6]


def test_a_prerequisite_is_not_pulled_into_a_milestone_that_does_not_ask_for_it():
    late = spec(8, "Networking", (0, 0, 2))
    dependent = spec(9, "APIs", (0, 2, 2), prerequisites=[8])
    assert stages(plan({8: 0, 9: 0}, matrix(late, dependent))) == [
        ("Backend Developer", [(9, 0, 2)]),
        ("Senior", [(8, 0, 2)]),
    ]


def test_nothing_met_is_included_and_a_lower_target_needs_fewer_steps():
    assert 3 not in ids(plan().steps) and 5 not in ids(plan().steps)
    assert stages(plan(target=D.id)) == [("Backend Developer", [(1, 1, 2), (2, 0, 1)])]
    assert plan({1: 4, 2: 4, 3: 4, 4: 4, 5: 4}).steps == []


def test_an_unassessed_competency_is_a_find_out_step_at_the_start_of_the_first_milestone():
    result = plan({1: 1, 2: 0, 3: 2, 5: 2})  # 4 not assessed
    first = result.milestones[0]
    assert first.steps[0].competency_id == 4 and first.steps[0].kind == FIND_OUT
    assert first.steps[0].hours == 0 and first.steps[0].resource_ids == ()
    assert "Not assessed yet" in first.steps[0].why
    assert 4 not in [s.competency_id for m in result.milestones[1:] for s in m.steps]


def test_with_nothing_assessed_the_plan_is_finding_out():
    result = plan({})
    assert {s.kind for s in result.steps} == {FIND_OUT}
    assert ids(result.steps) == [1, 2, 3, 4, 5]


def test_the_plan_is_deterministic():
    shuffled = matrix(E, DS, C, B, A)
    assert plan() == plan() == plan(m=shuffled)


def test_reasons_are_true_at_the_step_and_grammatical():
    by_stage = {(s.competency_id, s.milestone_id): s.why for s in plan().steps}
    assert by_stage[(1, D.id)].startswith(
        "Backend Developer expects Working (2) in Fundamentals; you are at Aware (1)."
    )
    assert by_stage[(1, D.id)].endswith("It comes first in this milestone because Frameworks builds on it.")
    assert by_stage[(2, D.id)] == "Backend Developer expects Aware (1) in Frameworks; you are new to it."
    assert by_stage[(1, S.id)].startswith(
        "Senior expects Proficient (3) in Fundamentals, one stage on from the Working (2) that Backend Developer expects."
    )
    for step in plan().steps:
        expects = re.match(r".*? expects \w+ \((\d)\)", step.why)
        assert int(expects.group(1)) == step.to_proficiency > step.from_proficiency


def test_no_reason_states_a_requirement_the_learner_already_meets():
    for estimates in (ESTIMATES, {1: 2, 2: 1, 3: 2, 4: 1, 5: 1}, {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}):
        for step in plan(estimates).steps:
            required = int(re.match(r".*? expects \w+ \((\d)\)", step.why).group(1))
            assert required > estimates[step.competency_id]


def test_resources_suit_each_stage_and_give_the_hours():
    first, second = (s for s in plan().steps if s.competency_id == 1)
    assert first.resource_ids == (11,) and second.resource_ids == (12,)
    assert first.hours == 5 + PRACTICE_HOURS[2]
    assert (first.hours_low, first.hours_high) == step_hours(resource_hours=5, start=1, goal=2)[1:]
    assert first.hours_low < first.hours < first.hours_high


def test_without_resources_hours_are_practice_for_the_gap():
    step = next(s for s in plan().steps if s.competency_id == 4)
    assert step.resource_ids == () and step.hours == PRACTICE_HOURS[1] + PRACTICE_HOURS[2]


def test_practice_grows_with_the_proficiency_reached():
    assert list(PRACTICE_HOURS[1:]) == sorted(PRACTICE_HOURS[1:]) and len(set(PRACTICE_HOURS)) == 5


def test_the_learners_stack_comes_first_and_other_stacks_only_when_nothing_else_aims_there():
    resources = [
        ResourceSpec(21, 10, 2, "python"),
        ResourceSpec(22, 12, 2, "java"),
        ResourceSpec(23, 3, 2, ""),
        ResourceSpec(24, 30, 3, "go"),
        ResourceSpec(25, 40, 3, "java"),
    ]
    lang = spec(10, "Language", (2, 3, 3), resources=resources)
    steps = {s.to_proficiency: s for s in plan({10: 1}, matrix(lang), stack="java").steps}
    assert steps[2].resource_ids == (22, 23) and steps[3].resource_ids == (25,)
    steps = {s.to_proficiency: s for s in plan({10: 1}, matrix(lang), stack="python").steps}
    assert steps[2].resource_ids == (21, 23)
    assert steps[3].resource_ids == (24, 25)  # no Python one: the alternatives, counted once
    assert steps[3].hours == 30 + PRACTICE_HOURS[3]
    steps = {s.to_proficiency: s for s in plan({10: 1}, matrix(lang)).steps}
    assert steps[2].resource_ids == (23,)  # no stack set: the neutral one
