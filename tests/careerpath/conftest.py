import json
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import LearnerProfile, Mentorship, SelfRating
from careerpath.models import ApiToken
from careerpath.tokens import token_revoke
from roadmap.compute import roadmap_recompute
from roadmap.models import RoadmapStep
from tests.conftest import rated
from tests.factories import AdminFactory, MentorFactory, UserFactory, api_token

API = "/api/v1"
# Words only one learner's data holds: a body that shows them to anyone else leaks.
ADA_PRIVATE = "ada-private-note-7c1"
ADA_SHARED = "ada-shared-note-3f2"
OTHER_PRIVATE = "other-private-note-9d4"


class ApiClient:
    """The Django test client speaking to the API with a bearer token (or none)."""

    def __init__(self, client):
        self.client = client

    @staticmethod
    def _headers(secret: str | None) -> dict:
        return {} if secret is None else {"Authorization": f"Bearer {secret}"}

    def get(self, path: str, secret: str | None, **params):
        return self.client.get(API + path, params, headers=self._headers(secret))

    def patch(self, path: str, secret: str | None, body):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.patch(API + path, data, content_type="application/json", headers=self._headers(secret))


@pytest.fixture
def api(client):
    return ApiClient(client)


def _noted(learner, *notes: tuple[str, bool]) -> list[RoadmapStep]:
    """The learner's first learning steps, given these notes (text, shared) in order."""
    steps = list(RoadmapStep.objects.filter(roadmap__learner=learner, kind="learn").order_by("position"))
    for step, (note, shared) in zip(steps, notes, strict=False):
        step.set_note(note, shared=shared)
    return steps


@pytest.fixture
def api_people(roadmap_world):
    """Ada (a learner with a roadmap, a private and a shared note), her mentor, another mentor (of
    someone else), another learner with a roadmap of their own, an admin, and each one's read and
    write token; Ada also has a read-only, a revoked and an expired token."""
    world = rated(roadmap_world)
    ada = world["learner"]
    now = timezone.now()
    roadmap_recompute(learner_id=ada.pk, now=now)
    ada_steps = _noted(ada, (ADA_PRIVATE, False), (ADA_SHARED, True))
    other = UserFactory(username="bea")
    LearnerProfile.objects.create(user=other, current_level=world["levels"][0], target_level=world["levels"][2])
    for competency in (world["sql"], world["tuning"]):
        SelfRating.objects.create(learner=other, competency=competency, proficiency=1, rated_at=now)
    roadmap_recompute(learner_id=other.pk, now=now)
    other_steps = _noted(other, (OTHER_PRIVATE, True))
    mentor, other_mentor = MentorFactory(username="mia"), MentorFactory(username="omar")
    Mentorship.objects.create(mentor=mentor, learner=ada)
    Mentorship.objects.create(mentor=other_mentor, learner=UserFactory(username="cyd"))
    admin = AdminFactory(username="root")
    users = {"learner": ada, "other_learner": other, "mentor": mentor, "other_mentor": other_mentor, "admin": admin}
    tokens = {role: api_token(user, scope="write") for role, user in users.items()}
    tokens["read_only"] = api_token(ada, scope="read")
    tokens["revoked"] = api_token(ada, scope="write", name="old")
    token_revoke(user_id=ada.pk, token_id=ApiToken.objects.get(name="old").pk, now=now)
    tokens["expired"] = api_token(ada, scope="write", name="short", expires_in_days=1)
    ApiToken.objects.filter(name="short").update(expires_at=now - timedelta(seconds=1))
    tokens["bad"] = "cp_" + "x" * 43
    tokens["anonymous"] = None
    return {**users, "world": world, "tokens": tokens, "ada_steps": ada_steps, "other_steps": other_steps}
