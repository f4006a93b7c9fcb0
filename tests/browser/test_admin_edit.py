import pytest
from playwright.sync_api import Page, expect

from assessments.models import Expectation
from tests.factories import AdminFactory, CompetencyFactory, ExpectationFactory, LevelFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_edits_a_competencys_expectation_for_one_level(live_server, page: Page):
    AdminFactory(username="root")
    junior, senior = (
        LevelFactory(slug="junior", name="Junior", order=1),
        LevelFactory(slug="senior", name="Senior", order=2),
    )
    competency = CompetencyFactory(name="SQL querying")
    ExpectationFactory(competency=competency, level=junior, proficiency=1, description="Writes simple SELECTs.")
    ExpectationFactory(competency=competency, level=senior, proficiency=3, description="Tunes queries.")

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("root")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto(f"{live_server.url}/admin/assessments/competency/{competency.pk}/change/")
    senior_row = page.locator("tr.has_original").filter(has_text="Senior")
    senior_row.locator("textarea").fill("Rewrites slow queries after reading EXPLAIN ANALYZE.")
    senior_row.locator("select[name$='-proficiency']").select_option("4")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    cell = Expectation.objects.get(competency=competency, level=senior)
    assert (cell.proficiency, cell.description) == (4, "Rewrites slow queries after reading EXPLAIN ANALYZE.")
    assert Expectation.objects.get(competency=competency, level=junior).proficiency == 1
