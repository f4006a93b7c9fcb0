"""Each token has its own budget of requests; past it, 429 with Retry-After."""

import pytest

import careerpath.throttle
from tests.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _three_a_minute(monkeypatch):
    monkeypatch.setattr(careerpath.throttle, "API_REQUESTS_PER_TOKEN", "3/m")


def test_the_request_past_the_limit_is_refused_with_retry_after(api):
    secret = api_token(UserFactory())
    assert [api.get("/me/standing", secret).status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/me/standing", secret)
    assert refused.status_code == 429
    assert refused.json() == {"detail": "Too many requests."}
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_each_token_has_its_own_budget(api):
    user = UserFactory()
    first, second = api_token(user), api_token(user, name="other")
    for _ in range(4):
        api.get("/me/standing", first)
    assert api.get("/me/standing", first).status_code == 429
    assert api.get("/me/standing", second).status_code == 200


def test_refused_tokens_are_not_counted_against_anyone(api):
    secret = api_token(UserFactory())
    for _ in range(5):
        assert api.get("/me/standing", "cp_" + "y" * 43).status_code == 401
    assert api.get("/me/standing", secret).status_code == 200
