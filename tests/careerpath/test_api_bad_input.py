"""Bad input to the API is a 400 or 422 that says what was wrong, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

BAD_QUERIES = [
    ("/me/roadmap", {"limit": "abc"}),
    ("/me/roadmap", {"limit": 0}),
    ("/me/roadmap", {"limit": 101}),
    ("/me/roadmap", {"offset": -1}),
    ("/me/roadmap", {"offset": "99999999999999999999"}),
    ("/me/roadmap", {"limit": "\x00"}),
    ("/mentor/mentees", {"sort": "\x00"}),
    ("/mentor/mentees", {"flag": "%ff"}),
    ("/mentor/mentees", {"q": "y" * 1000}),
    ("/mentor/mentees/99999999999999999999/standing", {}),
    ("/mentor/mentees/-1/roadmap", {}),
    ("/mentor/mentees/abc/roadmap", {}),
]
BAD_BODIES = [
    "{not json",
    "",
    "[1, 2]",
    '"done"',
    {},
    {"status": "finished"},
    {"status": None, "note": None},
    {"note": "\x00"},
    {"note": "x" * 5001},
    {"note_shared": "maybe"},
    {"status": ["done"]},
]


@pytest.mark.parametrize(("path", "params"), BAD_QUERIES)
def test_a_bad_query_is_a_clear_422(api, api_people, path, params):
    response = api.get(path, api_people["tokens"]["mentor"], **params)
    assert response.status_code in (404, 422), response.content
    assert response.json()["detail"]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_a_bad_step_change_is_a_clear_400_or_422_and_changes_nothing(api, api_people, body):
    step = api_people["ada_steps"][0]
    response = api.patch(f"/me/roadmap/steps/{step.pk}", api_people["tokens"]["learner"], body)
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    step.refresh_from_db()
    assert step.status == "todo"


@pytest.mark.parametrize("step_id", ["99999999999999999999", "0", "-5", "x"])
def test_an_absurd_step_id_is_refused(api, api_people, step_id):
    response = api.patch(f"/me/roadmap/steps/{step_id}", api_people["tokens"]["learner"], {"status": "done"})
    assert response.status_code in (404, 422)


@pytest.mark.parametrize(
    "header", ["Bearer", "Bearer ", "Basic abc", "bearer cp_\x00", "Bearer cp_" + "z" * 5000, "Token cp_abc"]
)
def test_an_odd_authorization_header_is_a_401(api, header):
    response = api.client.get("/api/v1/me/standing", headers={"Authorization": header})
    assert response.status_code == 401
