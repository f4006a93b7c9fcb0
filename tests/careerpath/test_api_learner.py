"""What the API answers a learner, and a step changed through it, as the pages show it."""

import pytest
from django.urls import reverse

import assessments.standing as standing_module
from assessments.models import CompetencyEstimate
from assessments.standing import learner_standing
from roadmap.compute import roadmap_recompute
from roadmap.models import Roadmap, RoadmapStep
from tests.careerpath.conftest import ADA_PRIVATE

pytestmark = pytest.mark.django_db


def test_the_standing_is_the_stored_one_and_the_estimator_never_runs(api, api_people, monkeypatch):
    def _refuse(*args, **kwargs):
        raise AssertionError("the API ran the estimator")

    monkeypatch.setattr(standing_module, "posterior", _refuse)
    body = api.get("/me/standing", api_people["tokens"]["learner"]).json()
    stored = learner_standing(user=api_people["learner"])
    assert body["assessed"] is True
    assert (body["level"]["name"], body["certainty"]) == (stored.level.name, stored.certainty)
    assert [c["probability"] for c in body["chances"]] == list(stored.placement.probabilities)
    assert body["target"]["slug"] == "senior"
    estimates = {e["competency"]: e for e in body["estimates"]}
    for row in CompetencyEstimate.objects.filter(learner=api_people["learner"]).select_related("competency"):
        assert estimates[row.competency.slug]["proficiency"] == row.proficiency
        assert estimates[row.competency.slug]["sources"] == ["self"]
    assert [a["name"] for a in body["areas"]] == [api_people["world"]["quiz"].area.name]


def test_a_learner_not_assessed_yet_has_no_level_and_no_estimates(api, api_people):
    body = api.get("/me/standing", api_people["tokens"]["admin"]).json()
    assert (body["assessed"], body["level"], body["chances"], body["estimates"]) == (False, None, [], [])


def test_the_results_are_the_pages_per_area_and_per_competency(api, api_people, client):
    body = api.get("/me/results", api_people["tokens"]["learner"]).json()
    (area,) = body["areas"]
    rows = {row["name"]: row for row in area["competencies"]}
    assert set(rows) == {"SQL querying", "Query tuning"}
    assert rows["SQL querying"]["self_rating"] == 1
    assert rows["SQL querying"]["target_expects"] == 3
    assert rows["SQL querying"]["combined"]["sources"] == ["self"]
    assert area["self_average"] == 1.0
    assert [a["area"] for a in body["summary"]["strongest"] + body["summary"]["weakest"]] == [area["area"]]
    client.force_login(api_people["learner"])
    page = client.get(reverse("results")).content.decode()
    assert f"{body['level']['name']}" in page and f"{body['certainty']}%" in page


def test_the_roadmap_is_paged_and_its_milestones_count_every_step(api, api_people):
    secret = api_people["tokens"]["learner"]
    whole = api.get("/me/roadmap", secret).json()
    steps = list(RoadmapStep.objects.filter(roadmap__learner=api_people["learner"]).order_by("position"))
    assert [s["id"] for s in whole["steps"]["items"]] == [s.pk for s in steps]
    assert whole["steps"]["count"] == len(steps) >= 3
    page = api.get("/me/roadmap", secret, limit=1, offset=1).json()
    assert [s["id"] for s in page["steps"]["items"]] == [steps[1].pk]
    assert (page["steps"]["count"], page["steps"]["limit"], page["steps"]["offset"]) == (len(steps), 1, 1)
    assert page["milestones"] == whole["milestones"]
    assert [m["level"] for m in whole["milestones"]] == ["Backend Developer", "Senior"]
    assert sum(m["steps_total"] for m in whole["milestones"]) == whole["steps_total"]
    assert api.get("/me/roadmap", secret, offset=99).json()["steps"]["items"] == []


def test_a_learner_without_a_roadmap_gets_none(api, api_people):
    body = api.get("/me/roadmap", api_people["tokens"]["mentor"]).json()
    assert (body["status"], body["steps"]["count"], body["milestones"]) == ("none", 0, [])


def _shown_status(page: str, step: RoadmapStep) -> str:
    """The status selected in the step's form on the roadmap page."""
    item = page.split(f'id="step-{step.pk}"')[1].split("</li>")[0]
    return item.split(" selected>")[0].rsplit('value="', 1)[1].rstrip('"')


def test_a_status_changed_through_the_api_shows_on_the_roadmap_page_and_in_stored_progress(api, api_people, client):
    step = api_people["ada_steps"][0]
    client.force_login(api_people["learner"])
    assert _shown_status(client.get(reverse("roadmap")).content.decode(), step) == "todo"  # now cached
    revision = Roadmap.objects.get(learner=api_people["learner"]).revision
    response = api.patch(f"/me/roadmap/steps/{step.pk}", api_people["tokens"]["learner"], {"status": "done"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == ("done", ADA_PRIVATE)
    roadmap = Roadmap.objects.get(learner=api_people["learner"])
    assert (roadmap.steps_finished, roadmap.revision) == (1, revision + 1)
    assert roadmap.last_moved_at is not None
    assert _shown_status(client.get(reverse("roadmap")).content.decode(), step) == "done"
    assert api.get("/mentor/mentees", api_people["tokens"]["mentor"]).json()["items"][0]["steps_finished"] == 1


def test_a_note_changed_through_the_api_keeps_its_sharing_unless_told(api, api_people):
    step, secret = api_people["ada_steps"][0], api_people["tokens"]["learner"]
    body = api.patch(f"/me/roadmap/steps/{step.pk}", secret, {"note": "  read chapter 3  "}).json()
    assert (body["note"], body["note_shared"], body["status"]) == ("read chapter 3", False, "todo")
    body = api.patch(f"/me/roadmap/steps/{step.pk}", secret, {"note_shared": True}).json()
    assert (body["note"], body["note_shared"]) == ("read chapter 3", True)
    step.refresh_from_db()
    assert (step.note, step.note_shared) == ("read chapter 3", True)


def test_a_step_a_recompute_removed_is_a_404(api, api_people):
    step = api_people["ada_steps"][0]
    RoadmapStep.objects.filter(pk=step.pk).delete()
    response = api.patch(f"/me/roadmap/steps/{step.pk}", api_people["tokens"]["learner"], {"status": "done"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No such step in your roadmap."}


def test_a_status_change_survives_the_next_recompute(api, api_people):
    from django.utils import timezone

    step = api_people["ada_steps"][0]
    api.patch(f"/me/roadmap/steps/{step.pk}", api_people["tokens"]["learner"], {"status": "doing"})
    roadmap_recompute(learner_id=api_people["learner"].pk, now=timezone.now())
    items = api.get("/me/roadmap", api_people["tokens"]["learner"]).json()["steps"]["items"]
    assert next(s["status"] for s in items if s["name"] == step.competency.name) == "doing"
