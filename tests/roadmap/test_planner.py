from roadmap.planner import PRACTICE_HOURS_PER_STEP, CompetencySpec, LevelSpec, Matrix, ResourceSpec, build_plan

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


def plan(estimates=ESTIMATES, m=MATRIX, target=S.id):
    return build_plan(estimates=estimates, matrix=m, target_id=target)


def ids(steps):
    return [s.competency_id for s in steps]


def test_steps_are_grouped_into_the_milestones_on_the_way():
    result = plan()
    assert [(m.level.name, ids(m.steps)) for m in result.milestones] == [
        ("Backend Developer", [1, 2]),
        ("Senior", [4]),
    ]


def test_a_prerequisite_comes_before_what_builds_on_it_even_with_a_smaller_gap():
    steps = plan().steps
    assert ids(steps).index(1) < ids(steps).index(2)
    assert steps[0].gap < steps[1].gap


def test_within_a_milestone_larger_gaps_come_first():
    x, y = spec(6, "Small gap", (0, 1, 1)), spec(7, "Large gap", (0, 3, 3))
    assert ids(plan({}, matrix(x, y), D.id).steps) == [7, 6]


def test_a_prerequisite_needed_later_is_moved_into_the_earlier_milestone():
    late = spec(8, "Networking", (0, 0, 2))
    dependent = spec(9, "APIs", (0, 2, 2), prerequisites=[8])
    result = plan({}, matrix(late, dependent))
    assert [(m.level.name, ids(m.steps)) for m in result.milestones] == [("Backend Developer", [8, 9])]


def test_nothing_below_the_target_is_left_out_and_nothing_met_is_included():
    steps = {s.competency_id: s for s in plan().steps}
    assert set(steps) == {1, 2, 4}
    assert (steps[1].from_proficiency, steps[1].to_proficiency) == (1, 3)
    assert (steps[2].from_proficiency, steps[2].to_proficiency) == (0, 3)


def test_a_lower_target_needs_fewer_steps():
    assert ids(plan(target=D.id).steps) == [1, 2]


def test_meeting_everything_gives_an_empty_plan():
    assert plan({1: 4, 2: 4, 3: 4, 4: 4, 5: 4}).steps == []


def test_the_plan_is_deterministic():
    shuffled = matrix(E, DS, C, B, A)
    assert plan() == plan() == plan(m=shuffled)


def test_the_why_says_which_level_expects_what_and_what_it_unlocks():
    why = plan().steps[0].why
    assert "Backend Developer expects Working (2) in Fundamentals; you are at Aware (1)." in why
    assert "Your target, Senior, expects Proficient (3)." in why
    assert "It comes before Frameworks, which build on it." in why


def test_resources_suit_the_gap_and_give_the_hours():
    step = plan().steps[0]
    assert step.resource_ids == (11, 12)
    assert step.hours == 5 + 8 + 2 * PRACTICE_HOURS_PER_STEP


def test_without_resources_hours_are_practice_for_the_gap():
    step = next(s for s in plan().steps if s.competency_id == 2)
    assert step.resource_ids == () and step.hours == 3 * PRACTICE_HOURS_PER_STEP
