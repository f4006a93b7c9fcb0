import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import LearnerProfile, Mentorship
from careerpath.fragments import _csrf_placeholder
from roadmap.compute import roadmap_recompute
from roadmap.models import Roadmap, RoadmapRequest, RoadmapStep
from tests.factories import CompetencyFactory, ExpectationFactory, MentorFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ready(client, roadmap_world):
    roadmap_recompute(learner_id=roadmap_world["learner"].pk, now=timezone.now())
    client.force_login(roadmap_world["learner"])
    return roadmap_world


def _step(world, name="sql") -> RoadmapStep:
    """The competency's step in the first milestone (Backend Developer)."""
    return RoadmapStep.objects.get(competency=world[name], milestone=world["levels"][1])


def test_the_roadmap_page_shows_milestones_steps_hours_and_why(client, ready):
    body = client.get(reverse("roadmap")).content.decode()
    assert "Milestone 1: Backend Developer" in body and "Milestone 2: Senior" in body
    assert body.count("SQL querying</h3>") == 2 and body.count("Query tuning</h3>") == 2
    assert "About 82 hours</strong> of learning left (53–140 h)" in body
    assert "about 14 h (10–22 h)" in body
    # A step's details load when it is opened: the list carries each step's head only.
    assert "It comes first in this milestone" not in body
    step = client.get(reverse("step_detail", args=[_step(ready).pk]), **HTMX).content.decode()
    assert "It comes first in this milestone because Query tuning builds on it." in step and "<html" not in step
    page = client.get(reverse("step_detail", args=[_step(ready).pk])).content.decode()
    assert "<html" in page and 'name="status"' in page and "Your note" in page  # without JavaScript


def test_the_roadmap_says_when_each_milestone_is_expected_at_the_learners_pace(client, ready):
    today = timezone.localdate()
    LearnerProfile.objects.filter(user=ready["learner"]).update(weekly_hours=2)
    body = " ".join(client.get(reverse("roadmap")).content.decode().split())
    backend = (today + timedelta(weeks=11)).strftime("%B %Y")  # 22 h at 2 h a week
    senior = (today + timedelta(weeks=41)).strftime("%B %Y")  # then 60 h more
    assert f"At 2 h a week: Backend Developer around {backend}, Senior around {senior}." in body
    client.post(reverse("profile"), {**_profile_form(ready), "weekly_hours": "20"})
    assert "At 20 h a week:" in client.get(reverse("roadmap")).content.decode()


def test_a_bad_pace_is_refused_with_a_message_and_keeps_the_rest(client, ready):
    response = client.post(reverse("profile"), {**_profile_form(ready), "weekly_hours": "500", "current_role": "Dev"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ensure this value is less than or equal to 60." in body and 'value="Dev"' in body


def _profile_form(world, **changes) -> dict:
    profile = LearnerProfile.objects.get(user=world["learner"])
    return {
        "current_level": profile.current_level_id,
        "target_level": profile.target_level_id,
        "weekly_hours": profile.weekly_hours,
        "stack": profile.stack,
        **changes,
    }


def test_choosing_a_stack_asks_for_a_recompute_and_puts_its_resources_first(client, ready):
    sql = ready["sql"]
    go = ResourceFactory(competency=sql, proficiency=2, hours=4, stack="go", title="Go database/sql tutorial")
    java = ResourceFactory(competency=sql, proficiency=2, hours=4, stack="java", title="JDBC basics")
    client.post(reverse("profile"), _profile_form(ready, stack="go"))
    assert RoadmapRequest.objects.filter(learner=ready["learner"], reason="stack changed").exists()
    roadmap_recompute(learner_id=ready["learner"].pk, now=timezone.now())
    assert go.pk in _step(ready).resource_ids and java.pk not in _step(ready).resource_ids
    body = client.get(reverse("step_detail", args=[_step(ready).pk])).content.decode()
    assert "Go database/sql tutorial" in body and "JDBC basics" not in body


def test_a_learner_adds_and_removes_their_own_links_on_a_step(client, ready):
    step = _step(ready)
    url = reverse("step_link_add", args=[step.pk])
    response = client.post(url, {"url": "https://use-the-index-luke.com/", "title": "Use the index, Luke"}, **HTMX)
    assert response.status_code == 200 and "Use the index, Luke" in response.content.decode()
    response = client.post(url, {"url": "not a link", "title": "Mine"}, **HTMX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "Link not added: Enter a full web address" in body and 'value="Mine"' in body
    assert "Use the index, Luke" in client.get(reverse("step_detail", args=[step.pk])).content.decode()
    client.post(reverse("step_link_remove", args=[step.pk, 1]), **HTMX)
    step.refresh_from_db()
    assert step.links == []
    assert client.post(reverse("step_link_remove", args=[step.pk, 5])).status_code == 302  # gone: no error


def test_links_are_the_learners_and_shown_to_mentors_only_when_shared(client, ready):
    step = _step(ready)
    step.link_add(url="https://example.org/private", title="My notes")
    client.force_login(UserFactory())
    assert client.post(reverse("step_link_add", args=[step.pk]), {"url": "https://evil.example/"}).status_code == 404
    assert client.post(reverse("step_link_remove", args=[step.pk, 1])).status_code == 404
    step.refresh_from_db()
    assert step.links == [{"url": "https://example.org/private", "title": "My notes"}]


def test_the_map_draws_milestones_as_lanes_steps_as_links_and_prerequisite_edges(client, ready):
    _step(ready).set_status("done", now=timezone.now())
    body = client.get(reverse("roadmap_map")).content.decode()
    assert "1. Backend Developer" in body and "2. Senior" in body
    nodes = re.findall(r'<a href="/roadmap/#step-(\d+)" class="node node-(\w+)"', body)
    assert len(nodes) == 4 and ("done" in {status for _, status in nodes})
    assert body.count('class="edge"') == 2  # Query tuning builds on SQL querying, in each milestone


def test_the_map_of_a_learner_without_a_roadmap_says_so(client):
    client.force_login(UserFactory())
    assert "has not been built yet" in client.get(reverse("roadmap_map")).content.decode()


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


def test_a_mentee_page_polls_while_the_roadmap_is_recomputed_and_refreshes_when_ready(client, ready):
    mentor = MentorFactory()
    Mentorship.objects.create(mentor=mentor, learner=ready["learner"])
    client.force_login(mentor)
    status_url = reverse("mentee_roadmap_status", args=[ready["learner"].pk])
    Roadmap.objects.get(learner=ready["learner"]).mark_computing()
    page = client.get(reverse("mentee_detail", args=[ready["learner"].pk])).content.decode()
    assert "Updating this roadmap" in page and f'hx-get="{status_url}"' in page
    assert "Updating this roadmap" in client.get(status_url, **HTMX).content.decode()
    roadmap_recompute(learner_id=ready["learner"].pk, now=timezone.now())
    response = client.get(status_url, **HTMX)
    assert response.status_code == 204 and response["HX-Refresh"] == "true"


def test_opening_a_step_a_recompute_removed_reloads_the_page(client, ready):
    url = reverse("step_detail", args=[_step(ready).pk])
    _step(ready).delete()  # as a recompute that rewrote the steps after the page was drawn
    response = client.get(url, **HTMX)
    assert response.status_code == 404 and response["HX-Refresh"] == "true"
    assert client.get(url).status_code == 404


def test_ticking_a_step_done_updates_progress(client, ready):
    step = _step(ready)
    response = client.post(reverse("step_status", args=[step.pk]), {"status": "done"}, **HTMX)
    assert response.status_code == 200
    assert "1 of 4 steps finished" in response.content.decode()
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
    assert RoadmapStep.objects.count() == 34
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
    assert "0 of 4 steps finished" in page()
    client.post(reverse("step_status", args=[step.pk]), {"status": "done"})
    assert "1 of 4 steps finished" in page()
    opened = lambda: client.get(reverse("step_detail", args=[step.pk]), **HTMX).content.decode()  # noqa: E731
    client.post(reverse("step_note", args=[step.pk]), {"note": "Window functions next"})
    assert "Window functions next" in opened()
    client.post(reverse("comment_add", args=[ready["learner"].pk, ready["sql"].slug]), {"body": "Stuck on CTEs"})
    assert "Stuck on CTEs" in opened()
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


def test_a_competency_with_a_step_in_two_milestones_has_its_thread_once(client, ready):
    first, later = RoadmapStep.objects.filter(competency=ready["sql"]).order_by("position")
    slug = ready["sql"].slug
    opened = client.get(reverse("step_detail", args=[first.pk]), **HTMX).content.decode()
    assert opened.count(f'id="thread-{slug}"') == 1
    opened = client.get(reverse("step_detail", args=[later.pk]), **HTMX).content.decode()
    assert f'id="thread-{slug}"' not in opened
    assert f'are with its <a href="{reverse("step_detail", args=[first.pk])}">first step</a>' in opened


def test_a_step_opens_only_for_its_learner(client, ready):
    step = _step(ready)
    client.force_login(UserFactory())
    assert client.get(reverse("step_detail", args=[step.pk])).status_code == 404
    assert client.get(reverse("step_detail", args=[step.pk]), **HTMX).status_code == 404
