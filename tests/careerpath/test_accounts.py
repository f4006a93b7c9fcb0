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


def test_sign_up_stores_the_browsers_time_zone(client):
    _sign_up(client, "ada", "ada@example.com", data={"time_zone": "Asia/Tokyo"})
    assert LearnerProfile.objects.get(user__username="ada").time_zone == "Asia/Tokyo"


def test_sign_up_leaves_a_time_zone_it_does_not_know_for_later(client):
    response = _sign_up(client, "ada", "ada@example.com", data={"time_zone": "Mars/Olympus"})
    assert response.status_code == 302
    assert LearnerProfile.objects.get(user__username="ada").time_zone == ""


def _sign_up(client, username: str, email: str, *, data: dict | None = None, **extra):
    return client.post(
        reverse("signup"),
        {
            "username": username,
            "email": email,
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
            **(data or {}),
        },
        **extra,
    )


def test_sign_up_does_not_say_whether_an_email_has_an_account_and_tells_its_owner(client, celery_eager):
    UserFactory(username="ada", email="ada@example.com")
    taken = _sign_up(client, "ada2", "ADA@example.com")
    client.logout()
    fresh = _sign_up(client, "bob", "bob@example.com")
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url) == (302, reverse("onboarding"))
    (notice,) = mail.outbox
    assert notice.to == ["ada@example.com"] and '"ada2"' in notice.body and '"ada"' in notice.body


def test_sign_up_is_limited_per_address_and_keeps_the_input(client):
    for n in range(5):
        assert _sign_up(client, f"user{n}", f"user{n}@example.com").status_code == 302
        client.logout()
    response = _sign_up(client, "user5", "user5@example.com")
    assert response.status_code == 429
    assert "Too many requests from your network address" in response.content.decode()
    assert 'value="user5"' in response.content.decode()
    assert not User.objects.filter(username="user5").exists()
    # Another address is not affected.
    assert _sign_up(client, "user6", "user6@example.com", REMOTE_ADDR="198.51.100.7").status_code == 302


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
    assert "paused for 15 minutes" in response.content.decode()


def test_throttling_one_username_does_not_lock_out_another(client, settings):
    UserFactory(username="grace")
    UserFactory(username="alan")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "grace", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "alan", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_password_reset_sends_a_link_through_the_worker(client, celery_eager):
    UserFactory(username="grace", email="grace@example.com")
    response = client.post(reverse("password_reset"), {"email": "grace@example.com"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Reset your CareerPath password"
    assert (
        "/accounts/reset/" in message.body and '"grace"' in message.body and "127.0.0.1:8000 team" not in message.body
    )


def test_the_password_reset_email_is_queued_not_sent_in_the_request(client, monkeypatch):
    from careerpath.tasks import send_email

    queued = []
    monkeypatch.setattr(send_email, "delay", lambda *args: queued.append(args))
    UserFactory(username="grace", email="grace@example.com")
    assert client.post(reverse("password_reset"), {"email": "grace@example.com"}).status_code == 302
    assert mail.outbox == []
    ((subject, body, to),) = queued
    assert to == "grace@example.com" and "/accounts/reset/" in body


def test_password_reset_requests_are_limited_per_email_and_per_address(client):
    UserFactory(username="grace", email="grace@example.com")
    for _ in range(3):
        assert client.post(reverse("password_reset"), {"email": "grace@example.com"}).status_code == 302
    response = client.post(reverse("password_reset"), {"email": "grace@example.com"})
    assert response.status_code == 429
    assert 'value="grace@example.com"' in response.content.decode()
    # Per address: two more for other emails, then refused.
    for email in ("a@example.com", "b@example.com"):
        client.post(reverse("password_reset"), {"email": email})
    assert client.post(reverse("password_reset"), {"email": "c@example.com"}).status_code == 429


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_very_long_username_is_a_failed_log_in_not_a_server_error(client, url):
    response = client.post(url, {"username": "x" * 300, "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()


def test_password_spraying_from_one_address_is_refused(client):
    for name in ("grace", "alan", "ada", "linus", "barbara"):
        UserFactory(username=name)
    statuses = [
        client.post(reverse("login"), {"username": name, "password": f"guess-{n}"}).status_code
        for name in ("grace", "alan", "ada", "linus")
        for n in range(4)  # below the per-account limit of 5
    ]
    assert statuses[:10] == [200] * 10 and set(statuses[10:]) == {429}
    # Even the right password is refused from this address for a while, and the page says so.
    response = client.post(reverse("login"), {"username": "barbara", "password": "correct-horse-battery"})
    assert response.status_code == 429 and "from your address is paused for every account" in response.content.decode()
    other = client.post(
        reverse("login"), {"username": "barbara", "password": "correct-horse-battery"}, REMOTE_ADDR="198.51.100.7"
    )
    assert other.status_code == 302


def test_behind_a_proxy_each_client_address_is_throttled_on_its_own(client, settings):
    settings.PROXY_COUNT = 1
    UserFactory(username="grace")
    via_proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for n in range(settings.AXES_FAILURE_LIMIT):  # a different made-up address in front each time: not trusted
        client.post(
            reverse("login"),
            {"username": "grace", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.9",
            **via_proxy,
        )
    attacker = client.post(
        reverse("login"),
        {"username": "grace", "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        **via_proxy,
    )
    assert attacker.status_code == 429
    grace = client.post(
        reverse("login"),
        {"username": "grace", "password": "correct-horse-battery"},
        HTTP_X_FORWARDED_FOR="198.51.100.20",
        **via_proxy,
    )
    assert grace.status_code == 302, "the attacker behind the same proxy must not lock grace out"


def test_private_pages_are_not_stored_and_security_headers_are_sent(client):
    UserFactory(username="grace")
    client.post(reverse("login"), {"username": "grace", "password": "correct-horse-battery"})
    response = client.get(reverse("dashboard"))
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert client.cookies["csrftoken"]["httponly"]


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
