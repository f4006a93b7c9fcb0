"""Each API endpoint runs the same number of queries whatever the size of the learner's data and
the mentor's list (the pages' test: tests/assessments/test_query_counts.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.models import Mentorship
from tests.assessments.test_query_counts import _world
from tests.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db

API_LIMIT = 6  # queries per request, the token with its user included (a step done schedules its re-check)


def _count(api, method: str, path: str, secret: str, body=None) -> int:
    """Queries of the second request: the first reads the content into the process's copy (and
    moves the token's last use on), as a production process has done long before."""
    call = (lambda: api.patch(path, secret, body)) if method == "patch" else (lambda: api.get(path, secret))
    call()
    with CaptureQueriesContext(connection) as queries:
        response = call()
    assert response.status_code == 200, (path, response.content)
    return len([q for q in queries.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))])


def _query_counts(api, size: int) -> dict[str, int]:
    world = _world(size)
    learner, mentor = world["learner"], world["mentor"]
    for n in range(size - 1):  # the mentor's list: ``size`` mentees
        Mentorship.objects.create(mentor=mentor, learner=UserFactory(username=f"mentee{size}-{n}"))
    mine, theirs = api_token(learner, scope="write"), api_token(mentor)
    step = f"/me/roadmap/steps/{world['step'].pk}"
    return {
        "standing": _count(api, "get", "/me/standing", mine),
        "results": _count(api, "get", "/me/results", mine),
        "roadmap": _count(api, "get", "/me/roadmap", mine),
        # Each is the page's rule (a status or a note: the step's write and the roadmap's revision);
        # one request sending both runs both.
        "step_status": _count(api, "patch", step, mine, {"status": "doing"}),
        "step_note": _count(api, "patch", step, mine, {"note": "on it"}),
        "mentees": _count(api, "get", "/mentor/mentees", theirs),
        "mentee_standing": _count(api, "get", f"/mentor/mentees/{learner.pk}/standing", theirs),
        "mentee_roadmap": _count(api, "get", f"/mentor/mentees/{learner.pk}/roadmap", theirs),
    }


def test_api_query_counts_do_not_grow_with_data_and_stay_small(api):
    small = _query_counts(api, 5)
    large = _query_counts(api, 50)
    print(f"queries per API request: {small}")
    assert small == large
    assert max(small.values()) <= API_LIMIT, small
