import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse

from assessments.models import LearnerProfile
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_up_creates_a_learner_and_logs_them_in(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "ada",
            "email": "ada@example.com",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="ada")
    assert LearnerProfile.objects.filter(user=user).exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_sign_up_with_a_taken_email_explains_and_keeps_input(client):
    UserFactory(email="ada@example.com")
    response = client.post(
        reverse("signup"),
        {
            "username": "ada2",
            "email": "ADA@example.com",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert 'value="ada2"' in response.content.decode()


def test_log_in_and_log_out(client):
    UserFactory(username="grace")
    response = client.post(reverse("login"), {"username": "grace", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_login_is_throttled_after_repeated_failures(client, settings):
    UserFactory(username="grace")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "grace", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "grace", "password": "correct-horse-battery"})
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.content.decode()


def test_throttling_one_username_does_not_lock_out_another(client, settings):
    UserFactory(username="grace")
    UserFactory(username="alan")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "grace", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alan", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_password_reset_sends_a_link(client):
    UserFactory(username="grace", email="grace@example.com")
    response = client.post(reverse("password_reset"), {"email": "grace@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_change_requires_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_logout_refuses_get(client):
    assert client.get(reverse("logout")).status_code == 405


def test_home_page_leads_to_sign_up(client):
    body = client.get(reverse("home")).content.decode()
    assert reverse("signup") in body and reverse("login") in body


def test_unknown_url_is_a_friendly_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_every_database_gets_the_mentors_group_an_admin_grants():
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from django.contrib.auth.models import Group

    Group.objects.filter(name=settings.MENTOR_GROUP).delete()
    import_module("assessments.migrations.0004_mentor_group").mentor_group_create(apps, None)
    import_module("assessments.migrations.0004_mentor_group").mentor_group_create(apps, None)
    assert Group.objects.filter(name=settings.MENTOR_GROUP).count() == 1
