"""The learner's time zone (careerpath/zones.py): which names a profile accepts, how a time is printed
with its zone, and the zone each signed-in request shows times in, read with the session and user."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import LearnerProfile
from careerpath.zones import local_time, time_zone_names
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIVE_PAST_EIGHT = datetime(2026, 12, 1, 8, 4, tzinfo=UTC)


def test_a_profile_accepts_an_iana_name_or_nothing():
    for name in ("Asia/Tokyo", "America/Argentina/Buenos_Aires", "UTC", ""):
        LearnerProfile(user=UserFactory(), time_zone=name).full_clean()


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "asia/tokyo", "+09:00", "localtime", "Factory"])
def test_a_profile_refuses_a_name_that_is_no_time_zone_with_a_clear_message(name):
    with pytest.raises(ValidationError) as refused:
        LearnerProfile(user=UserFactory(), time_zone=name).full_clean()
    assert refused.value.message_dict["time_zone"] == [
        f"“{name}” is not a time zone we know. Pick one from the list, such as Europe/Berlin."
    ]


def test_the_names_are_zoneinfos_without_the_servers_own_zone():
    assert "Europe/Berlin" in time_zone_names() and "localtime" not in time_zone_names()


@pytest.mark.parametrize(
    "zone, printed",
    [
        ("UTC", "01 Dec 2026, 08:04 UTC"),
        ("Asia/Tokyo", "01 Dec 2026, 17:04 JST"),
        ("America/New_York", "01 Dec 2026, 03:04 EST"),
        ("Asia/Dubai", "01 Dec 2026, 12:04 Asia/Dubai"),  # tzdata's abbreviation is only "+04"
    ],
)
def test_a_time_is_printed_in_the_current_zone_with_its_abbreviation_or_name(zone, printed):
    with timezone.override(zone):
        assert local_time(FIVE_PAST_EIGHT, "d M Y, H:i") == printed


def _learner(client, time_zone: str = "") -> LearnerProfile:
    user = UserFactory()
    profile = LearnerProfile.objects.create(user=user, time_zone=time_zone)
    client.force_login(user)
    return profile


def test_a_learners_zone_is_active_for_their_requests(client):
    _learner(client, "Asia/Tokyo")
    response = client.get(reverse("notifications"))
    assert response.context["TIME_ZONE"] == "Asia/Tokyo"


def test_a_learner_whose_zone_is_not_known_sees_utc(client):
    _learner(client)
    assert client.get(reverse("notifications")).context["TIME_ZONE"] == "UTC"


def test_a_zone_this_servers_tzdata_no_longer_has_shows_utc_not_an_error(client):
    profile = _learner(client)
    LearnerProfile.objects.filter(pk=profile.pk).update(time_zone="Europe/Atlantis")
    response = client.get(reverse("notifications"))
    assert response.status_code == 200 and response.context["TIME_ZONE"] == "UTC"


@pytest.mark.parametrize("page", ["dashboard", "notifications", "profile", "quiz_list", "roadmap"])
def test_showing_times_in_the_learners_zone_costs_no_query(settings, page):
    user = _learner(Client(), "Asia/Tokyo").user

    def queries() -> int:
        client = Client()  # a new one loads the middleware as set now
        client.force_login(user)
        client.get(reverse(page))  # the content read once per process, as production holds it
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(page))
        assert response.status_code == 200
        return len(captured)

    in_zone = queries()
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if name != "careerpath.middleware.time_zone_per_request"
    ]
    assert queries() == in_zone
