"""Error pages keep the site's layout and say what to do; the log-out says so; a favicon."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_learner_opening_a_mentor_page_gets_a_403_with_the_navigation_and_the_reason(client):
    client.force_login(UserFactory(username="ada"))
    response = client.get(reverse("mentor_dashboard"))
    body = response.content.decode()
    assert response.status_code == 403
    assert 'aria-label="Main"' in body and ">Dashboard</a>" in body and "Log out" in body
    assert "Mentor access is granted by an admin." in body


def test_a_form_sent_with_a_stale_token_gets_a_403_saying_nothing_was_saved():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    response = browser.post(reverse("profile"), {"weekly_hours": "5"})
    body = response.content.decode()
    assert response.status_code == 403
    assert "This form has expired" in body and "nothing was" in body and 'aria-label="Main"' in body


def test_logging_out_says_so(client):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"), follow=True)
    assert "You are logged out." in response.content.decode()


def test_every_page_names_a_favicon_that_is_served(client):
    assert 'rel="icon"' in client.get(reverse("home")).content.decode()
    assert finders.find("favicon.svg")


@pytest.mark.parametrize("url", ["/no-such-page/", "/attempts/999999/", "/card/no-such-card/"])
def test_with_debug_on_as_under_make_run_a_404_is_the_sites_page_not_djangos(client, settings, url):
    settings.DEBUG = True
    client.force_login(UserFactory(username="ada"))
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in body and 'aria-label="Main"' in body
    assert "URLconf" not in body  # Django's technical page names it


def test_a_server_error_page_has_the_layout_and_reads_nothing(rf, django_assert_num_queries):
    from careerpath.errors import server_error

    with django_assert_num_queries(0):  # the error may be the database itself
        response = server_error(rf.get("/dashboard/"))
    body = response.content.decode()
    assert response.status_code == 500
    assert "css/app.css" in body and 'aria-label="Main"' in body and 'href="/dashboard/"' in body
    assert "Something went wrong on our side" in body
