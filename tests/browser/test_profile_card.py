import pytest
from playwright.sync_api import Page, expect

from tests.browser.steps import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_learner_shares_their_card_a_visitor_opens_it_and_it_closes_when_sharing_stops(
    live_server, page: Page, browser, roadmap_world
):
    log_in(page, live_server.url, "ada")
    page.get_by_role("link", name="ada").click()
    card = page.locator("#card")
    card.get_by_role("button", name="Share my card").click()
    expect(card.get_by_text("Shared: anyone with the link can see it.")).to_be_visible()
    link = card.get_by_label("Link to your card").input_value()
    assert link.startswith(live_server.url + "/card/")

    visitor = browser.new_context().new_page()
    visitor.goto(link)
    expect(visitor.get_by_role("heading", name="ada on the backend ladder")).to_be_visible()
    expect(visitor.get_by_role("heading", name="Top skills")).to_be_visible()
    expect(visitor.get_by_role("link", name="Log in")).to_be_visible()  # a visitor, not signed in

    card.get_by_role("button", name="Stop sharing").click()
    expect(card.get_by_role("button", name="Share my card")).to_be_visible()
    assert visitor.reload().status == 404
    expect(visitor.get_by_role("heading", name="Page not found")).to_be_visible()
    visitor.context.close()
