import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from assessments.standing import standing_refresh
from tests.browser.steps import log_in
from tests.conftest import rated

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_makes_a_token_on_their_profile_the_api_answers_with_it_until_it_is_revoked(
    live_server, page: Page, playwright, roadmap_world
):
    ada = rated(roadmap_world)["learner"]
    standing_refresh(learner_id=ada.pk, now=timezone.now())
    log_in(page, live_server.url, "ada")
    page.get_by_role("link", name="ada").click()
    section = page.locator("#api-tokens")
    expect(section.get_by_text("No tokens yet.")).to_be_visible()
    section.get_by_label("Name").fill("my progress script")
    section.get_by_label("Scope").select_option("Read")
    section.get_by_role("button", name="Create token").click()
    expect(section.get_by_text("it is shown only this once")).to_be_visible()
    secret = section.get_by_label("Your new token").input_value()
    assert secret.startswith("cp_")
    expect(section.get_by_role("listitem").filter(has_text="my progress script")).to_contain_text(secret[:9])

    # A client of its own: no cookie of the signed-in browser, only the token.
    client = playwright.request.new_context(base_url=live_server.url)
    answer = client.get("/api/v1/me/standing", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200
    assert answer.json()["assessed"] is True and answer.json()["target"]["name"] == "Senior"
    assert client.get("/api/v1/me/standing").status == 401

    section.get_by_role("button", name="Revoke my progress script").click()
    expect(section.get_by_text("Token “my progress script” revoked: it no longer works.")).to_be_visible()
    expect(section.get_by_text("No tokens yet.")).to_be_visible()
    assert client.get("/api/v1/me/standing", headers={"Authorization": f"Bearer {secret}"}).status == 401
    client.dispose()
