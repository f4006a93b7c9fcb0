"""The API's permission matrix: every endpoint for every caller, and no body showing another
learner's data. The pages' rules hold (tests/roadmap/test_mentor_access.py): a learner sees only their
own, a mentor only active mentees, an admin no more than a learner, another's object is a 404."""

import pytest

from tests.careerpath.conftest import ADA_PRIVATE, ADA_SHARED, OTHER_PRIVATE

pytestmark = pytest.mark.django_db

CALLERS = [
    "anonymous",
    "learner",
    "other_learner",
    "mentor",
    "other_mentor",
    "admin",
    "revoked",
    "expired",
    "read_only",
    "bad",
    "session",  # signed in to the site, no token: the API takes no session
]
NO_TOKEN = dict.fromkeys(["anonymous", "revoked", "expired", "bad", "session"], 401)

OWN_DATA = {
    **NO_TOKEN,
    **dict.fromkeys(["learner", "other_learner", "mentor", "other_mentor", "admin", "read_only"], 200),
}
STEP_CHANGE = {
    **NO_TOKEN,
    "learner": 200,
    "read_only": 403,  # before anything is looked up
    **dict.fromkeys(["other_learner", "mentor", "other_mentor", "admin"], 404),
}
MENTEE_LIST = {
    **NO_TOKEN,
    **dict.fromkeys(["learner", "other_learner", "admin", "read_only"], 403),
    **dict.fromkeys(["mentor", "other_mentor"], 200),
}
A_MENTEE = {
    **NO_TOKEN,
    **dict.fromkeys(["learner", "other_learner", "admin", "read_only"], 403),
    "mentor": 200,
    "other_mentor": 404,
}


def _call(api, client, people, caller: str, method: str, path: str):
    if caller == "session":
        client.force_login(people["learner"])
    secret = None if caller == "session" else people["tokens"][caller]
    if method == "patch":
        return api.patch(path, secret, {"status": "done", "note": "changed by the API"})
    return api.get(path, secret)


def _endpoints(people) -> dict[str, tuple[str, str, dict]]:
    ada, step = people["learner"], people["ada_steps"][0]
    return {
        "standing": ("get", "/me/standing", OWN_DATA),
        "results": ("get", "/me/results", OWN_DATA),
        "roadmap": ("get", "/me/roadmap", OWN_DATA),
        "step_change": ("patch", f"/me/roadmap/steps/{step.pk}", STEP_CHANGE),
        "mentees": ("get", "/mentor/mentees", MENTEE_LIST),
        "mentee_standing": ("get", f"/mentor/mentees/{ada.pk}/standing", A_MENTEE),
        "mentee_roadmap": ("get", f"/mentor/mentees/{ada.pk}/roadmap", A_MENTEE),
    }


# What some answers must show, so the leak check looks at bodies that hold learners' data.
SHOWS = {
    ("roadmap", "learner"): ADA_PRIVATE,
    ("roadmap", "read_only"): ADA_PRIVATE,
    ("roadmap", "other_learner"): OTHER_PRIVATE,
    ("step_change", "learner"): "changed by the API",
    ("mentees", "mentor"): '"ada"',
    ("mentee_roadmap", "mentor"): ADA_SHARED,
}


def _leaks(body: str, caller: str) -> list[str]:
    """Words of a learner's data that this caller may not see."""
    seen = {
        "learner": {ADA_PRIVATE, ADA_SHARED, '"ada"'},
        "read_only": {ADA_PRIVATE, ADA_SHARED, '"ada"'},
        "mentor": {ADA_SHARED, '"ada"'},  # her shared note and her name, never her private note
        "other_learner": {OTHER_PRIVATE},
    }.get(caller, set())
    return [word for word in (ADA_PRIVATE, ADA_SHARED, '"ada"', OTHER_PRIVATE) if word in body and word not in seen]


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(
    "endpoint", ["standing", "results", "roadmap", "step_change", "mentees", "mentee_standing", "mentee_roadmap"]
)
def test_the_api_answers_each_caller_as_the_pages_do_and_shows_no_one_elses_data(
    api, client, api_people, endpoint, caller
):
    method, path, expected = _endpoints(api_people)[endpoint]
    response = _call(api, client, api_people, caller, method, path)
    assert response.status_code == expected[caller], response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert _leaks(response.content.decode(), caller) == []
    assert SHOWS.get((endpoint, caller), "") in response.content.decode()
    if response.status_code == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("caller", ["other_learner", "mentor", "other_mentor", "admin", "read_only"])
def test_no_one_but_the_learner_changes_their_step(api, client, api_people, caller):
    _call(api, client, api_people, caller, "patch", f"/me/roadmap/steps/{api_people['ada_steps'][0].pk}")
    api_people["ada_steps"][0].refresh_from_db()
    assert (api_people["ada_steps"][0].status, api_people["ada_steps"][0].note) == ("todo", ADA_PRIVATE)


def test_a_mentor_loses_access_at_once_when_the_mentorship_ends(api, api_people):
    from assessments.models import Mentorship

    path = f"/mentor/mentees/{api_people['learner'].pk}/standing"
    assert api.get(path, api_people["tokens"]["mentor"]).status_code == 200
    Mentorship.objects.update(active=False)
    assert api.get(path, api_people["tokens"]["mentor"]).status_code == 404
    assert '"ada"' not in api.get("/mentor/mentees", api_people["tokens"]["mentor"]).content.decode()


def test_a_deactivated_users_token_stops_working(api, api_people):
    api_people["learner"].is_active = False
    api_people["learner"].save(update_fields=["is_active"])
    assert api.get("/me/standing", api_people["tokens"]["learner"]).status_code == 401


def test_a_mentor_sees_a_mentees_shared_note_but_not_the_private_one_nor_its_links(api, api_people):
    private, shared = api_people["ada_steps"][:2]
    private.link_add(url="https://example.com/private-link", title="mine")
    body = api.get(f"/mentor/mentees/{api_people['learner'].pk}/roadmap", api_people["tokens"]["mentor"]).json()
    steps = {step["id"]: step for step in body["steps"]["items"]}
    assert steps[shared.pk]["note"] == ADA_SHARED
    assert (steps[private.pk]["note"], steps[private.pk]["links"]) == (None, [])
