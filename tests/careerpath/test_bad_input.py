"""No URL answers 500, whatever the input."""

import pytest

from tests.factories import MentorFactory

pytestmark = pytest.mark.django_db

ODD_URLS = [
    "/attempts/99999999999999999999/",
    "/attempts/999999999999999999/",
    "/attempts/1/q/99999999999999999999/",
    "/attempts/1/q/-1/",
    "/attempts/1/results/",
    "/mentor/mentees/99999999999999999999/",
    "/mentor/mentees/1/",
    "/roadmap/steps/99999999999999999999/status/",
    "/quizzes/%00/start/",
    "/assess/%ff/",
    "/assess/no-such-area/",
    "/mentors/join/%00/",
    "/mentors/join/" + "x" * 500 + "/",
    "/dashboard/?page=x",
    "/notifications/?page=-1",
    "/mentor/?page=abc&sort=%00&flag=%ff&q=" + "y" * 1000,
    "/results/?x=%00",
    "/mentor/?q=%00abc",
    "/matrix/?area=%00",
    "/card/%00/",
    "/card/" + "x" * 500 + "/",
    "/profile/card/",
    "/rechecks/99999999999999999999/",
    "/rechecks/1/",
    "/rechecks/1/q/99999999999999999999/answer/",
    "/rechecks/1/q/1/answer/",
    "/rechecks/1/submit/",
    "/profile/export/json/?x=%00",
    "/profile/export/csv/?page=-1",
    "/accounts/delete/?password=%00",
    "/profile/api-tokens/",
    "/profile/api-tokens/99999999999999999999/revoke/",
    "/profile/api-tokens/1/revoke/",
    "/api/v1/me/roadmap?limit=%00&offset=-1",
    "/api/v1/me/roadmap/steps/99999999999999999999",
    "/api/v1/mentor/mentees?sort=%00&flag=%ff&q=" + "y" * 1000,
    "/api/v1/mentor/mentees/99999999999999999999/roadmap",
    "/api/v1/openapi.json?x=%00",
]


@pytest.mark.parametrize("url", ODD_URLS)
def test_odd_input_is_never_a_server_error(client, url, roadmap_world):
    client.force_login(MentorFactory())
    assert client.get(url).status_code < 500
    assert (
        client.post(url, {"choice": ["x", "99999999999999999999"], "proficiency": "%00", "body": "\x00"}).status_code
        < 500
    )
