"""Sessions name their user (careerpath/models.py::UserSession): one statement reads the session with
the user and what the layout needs (careerpath/sessions.py)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careerpath.models import UserSession
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_request_reads_its_session_and_user_in_one_statement(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    assert UserSession.objects.get().user_id == user.pk
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("notifications")).status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if "auth_user" in q["sql"] or "usersession" in q["sql"]]
    assert len(reads) == 1 and "careerpath_usersession" in reads[0] and "_is_mentor" in reads[0]


def test_a_deactivated_users_session_no_longer_signs_them_in(client):
    user = UserFactory(username="ada")
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_deleting_a_user_deletes_their_sessions():
    user, other = UserFactory(), UserFactory()
    for who in (user, user, other):  # two browsers of the user's, one of another user's
        Client().force_login(who)
    assert UserSession.objects.count() == 3
    user.delete()
    assert list(UserSession.objects.values_list("user_id", flat=True)) == [other.pk]


def test_logging_out_ends_the_session_and_logging_in_names_the_user(client):
    user = UserFactory(username="ada")
    user.set_password("correct-horse-battery")
    user.save()
    response = client.post(reverse("login"), {"username": "ada", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1
    client.post(reverse("logout"))
    assert not UserSession.objects.filter(user=user).exists()
    assert client.get(reverse("dashboard")).status_code == 302


def test_expired_sessions_are_cleared_nightly():
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    from careerpath.tasks import clear_expired_sessions

    live, expired = Client(), Client()
    live.force_login(UserFactory())
    expired.force_login(UserFactory())
    UserSession.objects.filter(session_key=expired.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    clear_expired_sessions()
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live.session.session_key]
    assert settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]["task"] == "careerpath.tasks.clear_expired_sessions"
