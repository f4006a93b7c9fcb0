"""The profile page's API tokens: made (the secret shown once) and revoked, with htmx and without."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from careerpath.models import ApiToken
from careerpath.tokens import MAX_LIVE_TOKENS
from tests.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db


def _created(response) -> str:
    """The secret the answer shows, once."""
    return response.content.decode().split('id="new-token" type="text" readonly value="')[1].split('"')[0]


def test_the_profile_page_makes_a_token_and_shows_its_secret_only_once(client, learner, api):
    form = {"token-name": "my script", "token-scope": "read", "token-expires": "90"}
    response = client.post(reverse("api_tokens"), form, HTTP_HX_REQUEST="true")
    assert response.status_code == 201
    secret = _created(response)
    assert "shown only this once" in response.content.decode()
    assert api.get("/me/standing", secret).status_code == 200
    profile = client.get(reverse("profile")).content.decode()
    assert secret not in profile
    assert f"<code>{secret[:9]}…</code>" in profile and "my script" in profile
    assert ApiToken.objects.get().expires_at.date() == (timezone.now() + timedelta(days=90)).date()


def test_without_javascript_the_new_token_is_shown_on_the_tokens_page(client, learner):
    form = {"token-name": "cron", "token-scope": "write", "token-expires": ""}
    response = client.post(reverse("api_tokens"), form)
    assert response.status_code == 201
    assert "<h1>API tokens</h1>" in response.content.decode()
    assert ApiToken.objects.get(user=learner).secret_hash == hashlib.sha256(_created(response).encode()).hexdigest()
    assert (ApiToken.objects.get().scope, ApiToken.objects.get().expires_at) == ("write", None)


@pytest.mark.parametrize(
    "form",
    [
        {"token-name": "", "token-scope": "read"},
        {"token-name": "x", "token-scope": "admin"},
        {"token-name": "x", "token-scope": "read", "token-expires": "7"},
        {"token-name": "x" * 61, "token-scope": "read"},
        {"token-name": "\x00", "token-scope": "read"},
    ],
)
def test_a_token_form_with_bad_input_is_refused_with_its_errors(client, learner, form):
    response = client.post(reverse("api_tokens"), form, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "field-invalid" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_page_says_when_a_user_holds_as_many_tokens_as_allowed(client, learner):
    for n in range(MAX_LIVE_TOKENS):
        api_token(learner, name=f"t{n}")
    response = client.post(reverse("api_tokens"), {"token-name": "one more", "token-scope": "read"})
    assert response.status_code == 400 and "revoke one you no longer use first" in response.content.decode()


def test_a_revoked_token_stops_working_at_once(client, learner, api):
    secret = api_token(learner)
    assert api.get("/me/standing", secret).status_code == 200
    token = ApiToken.objects.get()
    response = client.post(reverse("api_token_revoke", args=[token.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Token “script” revoked" in response.content.decode() and "No tokens yet." in response.content.decode()
    assert api.get("/me/standing", secret).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_without_javascript_goes_back_to_the_profile(client, learner):
    api_token(learner)
    response = client.post(reverse("api_token_revoke", args=[ApiToken.objects.get().pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("profile") + "#api-tokens"
    assert "Token “script” revoked: it no longer works." in response.content.decode()


def test_another_users_token_cannot_be_revoked(client, learner, api):
    secret = api_token(UserFactory())
    response = client.post(reverse("api_token_revoke", args=[ApiToken.objects.get().pk]))
    assert response.status_code == 404
    assert api.get("/me/standing", secret).status_code == 200


def test_tokens_are_managed_only_when_signed_in(client):
    assert client.post(reverse("api_tokens"), {"token-name": "x", "token-scope": "read"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_the_token_list_shows_name_prefix_scope_and_last_use(client, learner, api):
    secret = api_token(learner, scope="write", name="deploy bot")
    api.get("/me/standing", secret)
    page = client.get(reverse("api_tokens")).content.decode()
    item = page.split("<strong>deploy bot</strong>")[1].split("</li>")[0]
    assert f"<code>{secret[:9]}…</code> · Read and write" in item
    assert "Created " in item and "last used never" not in item and "does not expire" in item
