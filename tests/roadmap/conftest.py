import time

import pytest

from assessments.models import LearnerProfile
from tests.factories import (
    CompetencyFactory,
    ExpectationFactory,
    LevelFactory,
    QuizFactory,
    ResourceFactory,
    UserFactory,
    question_with_choices,
)


def wait_for(condition, *, timeout: float = 60.0, what: str = "condition"):
    """Wait until ``condition()`` is truthy: state written by another process, polled, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def roadmap_world():
    """A learner aiming at Senior, two competencies (one a prerequisite of the other), and a quiz."""
    levels = [
        LevelFactory(slug=s, name=n, order=i)
        for i, (s, n) in enumerate([("junior", "Junior"), ("developer", "Backend Developer"), ("senior", "Senior")], 1)
    ]
    quiz = QuizFactory(title="Databases", retake_after_days=0)
    sql = CompetencyFactory(area=quiz.area, name="SQL querying", order=1)
    tuning = CompetencyFactory(area=quiz.area, name="Query tuning", order=2)
    tuning.prerequisites.add(sql)
    for competency, required in ((sql, (1, 2, 3)), (tuning, (0, 1, 3))):
        for level, proficiency in zip(levels, required, strict=True):
            ExpectationFactory(competency=competency, level=level, proficiency=proficiency)
        ResourceFactory(competency=competency, proficiency=3, hours=6)
    for n in range(2):
        question_with_choices(quiz=quiz, competency=sql, order=n, text=f"SQL question {n + 1}?")
    learner = UserFactory(username="ada")
    LearnerProfile.objects.create(user=learner, current_level=levels[0], target_level=levels[2])
    return {"learner": learner, "levels": levels, "quiz": quiz, "sql": sql, "tuning": tuning}
