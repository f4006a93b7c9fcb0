from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from roadmap.compute import roadmap_recompute
from roadmap.models import RoadmapStep
from roadmap.rechecks import recheck_schedule, rechecks_due_remind
from tests.browser.steps import log_in
from tests.conftest import rated

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_due_recheck_on_the_dashboard_answered_wrongly_reopens_the_step(
    live_server, page: Page, roadmap_world, celery_live_worker
):
    world = rated(roadmap_world)
    roadmap_recompute(learner_id=world["learner"].pk, now=timezone.now())
    step = RoadmapStep.objects.get(competency=world["sql"], milestone=world["levels"][1])
    step.set_status("done", now=timezone.now() - timedelta(days=31))
    recheck_schedule(step=step, now=timezone.now() - timedelta(days=31))
    assert rechecks_due_remind(now=timezone.now()) == 1  # the beat's run on day 31

    log_in(page, live_server.url, "ada")
    next_up = page.get_by_role("region", name="What to do next")
    expect(next_up).to_contain_text("A re-check is due: SQL querying")
    next_up.get_by_role("link", name="SQL querying").click()
    expect(page.get_by_role("heading", name="Re-check: SQL querying")).to_be_visible()
    for n in (1, 2):
        question = page.locator(f"#question-{n}")
        question.get_by_label("Wrong 0").check()
        expect(question.get_by_role("status")).to_contain_text("Saved at")
    page.get_by_role("button", name="Submit the re-check").click()
    expect(page.get_by_role("heading", name="Not passed: 0 of 2 right")).to_be_visible()

    page.get_by_role("link", name="the step is open again on your roadmap").click()
    sql_step = page.locator(f"#step-{step.pk}")
    expect(sql_step.get_by_label("Status")).to_have_value("doing")
    assert RoadmapStep.objects.get(pk=step.pk).status == "doing"
