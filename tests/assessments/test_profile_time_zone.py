"""The time zone on the profile page: chosen from the list, or the browser's when none is chosen."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import LearnerProfile
from tests.factories import LevelFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(client) -> LearnerProfile:
    user = UserFactory()
    client.force_login(user)
    return LearnerProfile.objects.create(user=user, target_level=LevelFactory(), time_zone="Asia/Tokyo")


def _form(profile: LearnerProfile, **changes) -> dict:
    return {"current_role": profile.current_role, "target_level": profile.target_level_id, **changes}


def test_the_profile_page_lists_the_zones_with_the_learners_chosen(client, profile):
    body = client.get(reverse("profile")).content.decode()
    zones = re.search(r'<select name="time_zone".*?</select>', body, re.DOTALL).group()
    assert '<option value="Asia/Tokyo" selected>Asia/Tokyo</option>' in zones
    assert '<option value="America/New_York">America/New York</option>' in zones
    assert zones.count(" selected>") == 1 and len(re.findall("<option ", zones)) > 400


def test_choosing_a_zone_saves_it(client, profile):
    response = client.post(reverse("profile"), _form(profile, time_zone="Europe/Berlin"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.time_zone == "Europe/Berlin"


def test_a_bad_zone_is_refused_with_a_message_and_keeps_the_other_input(client, profile):
    response = client.post(reverse("profile"), _form(profile, time_zone="Mars/Olympus", current_role="SRE"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "“Mars/Olympus” is not a time zone we know. Pick one from the list, such as Europe/Berlin." in body
    assert 'value="SRE"' in body and f'<option value="{profile.target_level_id}" selected>' in body
    profile.refresh_from_db()
    assert (profile.time_zone, profile.current_role) == ("Asia/Tokyo", "")


def test_the_browsers_zone_is_taken_when_none_is_chosen(client, profile):
    client.post(reverse("profile"), _form(profile, time_zone="", detected_time_zone="America/Sao_Paulo"))
    profile.refresh_from_db()
    assert profile.time_zone == "America/Sao_Paulo"


def test_a_chosen_zone_wins_over_the_browsers(client, profile):
    client.post(reverse("profile"), _form(profile, time_zone="Europe/Berlin", detected_time_zone="Asia/Tokyo"))
    profile.refresh_from_db()
    assert profile.time_zone == "Europe/Berlin"


def test_a_browser_zone_we_do_not_know_is_ignored_not_an_error(client, profile):
    response = client.post(reverse("profile"), _form(profile, time_zone="", detected_time_zone="Mars/Olympus"))
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.time_zone == ""


def test_onboarding_stores_the_browsers_zone(client):
    user = UserFactory()
    client.force_login(user)
    target = LevelFactory()
    response = client.post(reverse("onboarding"), {"target_level": target.pk, "detected_time_zone": "Asia/Tokyo"})
    assert response.status_code == 302
    assert LearnerProfile.objects.get(user=user).time_zone == "Asia/Tokyo"


# --- the browser's zone sent in the background (static/js/app.js) --------------------------


def _unknown(client) -> LearnerProfile:
    user = UserFactory()
    client.force_login(user)
    return LearnerProfile.objects.create(user=user)


def test_a_page_asks_the_browser_for_the_zone_only_while_it_is_not_known(client):
    profile = _unknown(client)
    marker = f'data-time-zone-detect="{reverse("time_zone_detect")}"'
    assert marker in client.get(reverse("dashboard")).content.decode()
    LearnerProfile.objects.filter(pk=profile.pk).update(time_zone="Asia/Tokyo")
    assert marker not in client.get(reverse("dashboard")).content.decode()


def test_the_browsers_zone_is_stored_when_none_is_known(client):
    profile = _unknown(client)
    response = client.post(reverse("time_zone_detect"), {"time_zone": "Asia/Tokyo"})
    assert response.status_code == 204
    profile.refresh_from_db()
    assert profile.time_zone == "Asia/Tokyo"


def test_the_browsers_zone_never_replaces_a_known_one(client, profile):
    assert client.post(reverse("time_zone_detect"), {"time_zone": "Europe/Berlin"}).status_code == 204
    profile.refresh_from_db()
    assert profile.time_zone == "Asia/Tokyo"


@pytest.mark.parametrize("sent", [{"time_zone": "Mars/Olympus"}, {"time_zone": ""}, {}, {"time_zone": "x" * 5000}])
def test_a_zone_we_do_not_know_is_a_400_and_changes_nothing(client, sent):
    profile = _unknown(client)
    response = client.post(reverse("time_zone_detect"), sent)
    assert response.status_code == 400
    profile.refresh_from_db()
    assert profile.time_zone == ""


def test_sending_the_zone_needs_a_signed_in_post_with_the_csrf_token(client):
    url = reverse("time_zone_detect")
    anonymous = client.post(url, {"time_zone": "Asia/Tokyo"})
    assert anonymous.status_code == 302 and reverse("login") in anonymous.url
    profile = _unknown(client)
    assert client.get(url).status_code == 405
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(profile.user)
    assert browser.post(url, {"time_zone": "Asia/Tokyo"}).status_code == 403
    profile.refresh_from_db()
    assert profile.time_zone == ""
    page = browser.get(reverse("dashboard")).content.decode()  # app.js takes the token from <body>
    token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    assert browser.post(url, {"time_zone": "Asia/Tokyo"}, headers={"X-CSRFToken": token}).status_code == 204
    profile.refresh_from_db()
    assert profile.time_zone == "Asia/Tokyo"
