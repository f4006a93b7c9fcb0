import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import LearnerProfile
from careerpath.fragments import _csrf_placeholder
from roadmap.compute import roadmap_recompute
from roadmap.models import Roadmap, RoadmapRequest, RoadmapStep
from tests.factories import CompetencyFactory, ExpectationFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ready(client, roadmap_world):
    roadmap_recompute(learner_id=roadmap_world["learner"].pk, now=timezone.now())
    client.force_login(roadmap_world["learner"])
    return roadmap_world


def _step(world, name="sql") -> RoadmapStep:
    return RoadmapStep.objects.get(competency=world[name])


def test_the_roadmap_page_shows_milestones_steps_hours_and_why(client, ready):
    body = client.get(reverse("roadmap")).content.decode()
    assert "Milestone 1: Junior" in body
    assert "SQL querying" in body and "Query tuning" in body
    assert "42 hours" in body
    assert "It comes before Query tuning, which build on it." in body


def test_without_a_target_the_page_says_how_to_get_one(client):
    client.force_login(UserFactory())
    assert "Pick a target level" in client.get(reverse("roadmap")).content.decode()


def test_while_computing_the_page_polls_and_refreshes_when_ready(client, ready):
    roadmap = Roadmap.objects.get(learner=ready["learner"])
    roadmap.mark_computing()
    assert "Updating your roadmap" in client.get(reverse("roadmap")).content.decode()
    assert "Updating your roadmap" in client.get(reverse("roadmap_status_hx"), **HTMX).content.decode()
    roadmap_recompute(learner_id=ready["learner"].pk, now=timezone.now())
    response = client.get(reverse("roadmap_status_hx"), **HTMX)
    assert response.status_code == 204 and response["HX-Refresh"] == "true"


def test_ticking_a_step_done_updates_progress(client, ready):
    step = _step(ready)
    response = client.post(reverse("step_status", args=[step.pk]), {"status": "done"}, **HTMX)
    assert response.status_code == 200
    assert "1 of 2 steps finished" in response.content.decode()
    step.refresh_from_db()
    assert step.status == "done" and step.status_changed_at is not None


def test_without_javascript_the_status_form_redirects_to_the_step(client, ready):
    step = _step(ready)
    response = client.post(reverse("step_status", args=[step.pk]), {"status": "doing"})
    assert response.url == reverse("roadmap") + f"#step-{step.pk}"


def test_an_unknown_status_is_refused(client, ready):
    step = _step(ready)
    response = client.post(reverse("step_status", args=[step.pk]), {"status": "finished-ish"}, **HTMX)
    assert response.status_code == 422
    step.refresh_from_db()
    assert step.status == "todo"


def test_a_note_is_saved_and_a_too_long_one_refused(client, ready):
    step = _step(ready)
    response = client.post(reverse("step_note", args=[step.pk]), {"note": "Pair with Sam on EXPLAIN"}, **HTMX)
    assert "Note saved" in response.content.decode()
    response = client.post(reverse("step_note", args=[step.pk]), {"note": "x" * 5001}, **HTMX)
    assert response.status_code == 422
    step.refresh_from_db()
    assert step.note == "Pair with Sam on EXPLAIN"


def test_a_page_left_open_on_a_step_a_recompute_removed_reloads_itself(client, ready):
    url = reverse("step_status", args=[_step(ready).pk])
    _step(ready).delete()
    response = client.post(url, {"status": "done"}, **HTMX)
    assert response.status_code == 404 and response["HX-Refresh"] == "true"
    assert client.post(url, {"status": "done"}).status_code == 404


def test_another_learners_steps_are_404(client, ready):
    step = _step(ready)
    client.force_login(UserFactory())
    assert client.post(reverse("step_status", args=[step.pk]), {"status": "done"}).status_code == 404
    assert client.post(reverse("step_note", args=[step.pk]), {"note": "mine now"}).status_code == 404
    assert "SQL querying" not in client.get(reverse("roadmap")).content.decode()
    step.refresh_from_db()
    assert (step.status, step.note) == ("todo", "")


def test_asking_for_a_recompute_records_a_request(client, ready):
    client.post(reverse("roadmap_recompute"))
    assert RoadmapRequest.objects.filter(learner=ready["learner"], reason="asked by learner").exists()


def test_roadmap_pages_need_login_and_post(client, ready):
    step = _step(ready)
    assert client.get(reverse("step_status", args=[step.pk])).status_code == 405
    client.logout()
    assert reverse("login") in client.get(reverse("roadmap")).url


def test_changing_the_target_asks_for_a_recompute(client, ready):
    levels = ready["levels"]
    client.post(reverse("profile"), {"current_level": levels[0].pk, "target_level": levels[1].pk})
    assert RoadmapRequest.objects.filter(learner=ready["learner"], reason="target changed").exists()


def test_the_roadmap_page_query_count_does_not_grow(client, ready):
    def count() -> int:
        roadmap_recompute(learner_id=ready["learner"].pk, now=timezone.now())
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("roadmap")).status_code == 200
        return len(queries)

    small = count()
    area = ready["quiz"].area
    for _ in range(30):
        competency = CompetencyFactory(area=area)
        for level in ready["levels"]:
            ExpectationFactory(competency=competency, level=level, proficiency=3)
        ResourceFactory(competency=competency, proficiency=3)
    LearnerProfile.objects.filter(user=ready["learner"]).update(target_level=ready["levels"][2])
    large = count()
    assert RoadmapStep.objects.count() == 32
    assert small == large


def test_a_target_change_is_never_saved_without_its_recompute_request(client, roadmap_world, monkeypatch):
    from django.db import OperationalError

    from assessments import views

    learner, levels = roadmap_world["learner"], roadmap_world["levels"]
    client.force_login(learner)

    def connection_lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views, "roadmap_request", connection_lost)
    with pytest.raises(OperationalError):
        client.post(reverse("profile"), {"current_level": levels[0].pk, "target_level": levels[1].pk})
    learner.profile.refresh_from_db()
    assert learner.profile.target_level == levels[2]  # the old target stays, with the old roadmap


def test_the_cached_roadmap_page_shows_every_change(client, ready):
    """The steps are rendered once per roadmap version, status, revision and content version: each
    change a learner or mentor makes reaches the next view of the page."""
    step, page = _step(ready), lambda: client.get(reverse("roadmap")).content.decode()
    assert "0 of 2 steps finished" in page()
    client.post(reverse("step_status", args=[step.pk]), {"status": "done"})
    assert "1 of 2 steps finished" in page()
    client.post(reverse("step_note", args=[step.pk]), {"note": "Window functions next"})
    assert "Window functions next" in page()
    client.post(reverse("comment_add", args=[ready["learner"].pk, ready["sql"].slug]), {"body": "Stuck on CTEs"})
    assert "Stuck on CTEs" in page()
    ready["tuning"].name = "Query performance"
    ready["tuning"].save()  # a content change
    assert "Query performance" in page()
    Roadmap.objects.get(learner=ready["learner"]).mark_computing()
    assert "Updating your roadmap" in page()


def test_a_cached_roadmap_carries_each_browsers_own_csrf_token(ready):
    """A fragment cached for one browser posts from another: the token is the reader's, not the
    writer's (log-in rotates tokens, so a cached one would be refused)."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        browser.force_login(ready["learner"])
    first.get(reverse("roadmap"))
    body = second.get(reverse("roadmap")).content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', body))
    assert tokens and _csrf_placeholder() not in body
    step = _step(ready)
    for token in tokens:  # the fragment's and the layout's: each a mask of this browser's secret
        response = second.post(
            reverse("step_status", args=[step.pk]), {"status": "doing", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == "doing"
