"""Personal access tokens (careerpath/tokens.py): stored hashed, revoked at once, their last use kept."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from careerpath.models import ApiToken
from careerpath.tokens import MAX_LIVE_TOKENS, TokenRefused, token_create, token_revoke
from tests.factories import UserFactory, api_token

pytestmark = pytest.mark.django_db


def test_only_the_secrets_hash_is_stored(learner):
    token, secret = token_create(user_id=learner.pk, name="ci", scope="read", now=timezone.now())
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith("cp_") and len(secret) == 46
    assert token.prefix == secret[:9]
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM careerpath_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert secret not in stored and secret[9:] not in stored


def test_last_used_is_written_at_most_once_a_minute(learner, api):
    secret = api_token(learner)
    token = ApiToken.objects.get()
    assert token.last_used_at is None
    api.get("/me/standing", secret)
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as queries:
        api.get("/me/standing", secret)
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=1))
    api.get("/me/standing", secret)
    token.refresh_from_db()
    assert token.last_used_at > first


def test_a_user_holds_at_most_so_many_live_tokens_and_a_revoked_one_frees_a_place(learner):
    for n in range(MAX_LIVE_TOKENS):
        api_token(learner, name=f"t{n}")
    with pytest.raises(TokenRefused):
        token_create(user_id=learner.pk, name="one more", scope="read", now=timezone.now())
    token_revoke(user_id=learner.pk, token_id=ApiToken.objects.first().pk, now=timezone.now())
    token_create(user_id=learner.pk, name="one more", scope="read", now=timezone.now())


def test_a_revoked_token_is_refused_on_its_next_request(learner, api):
    secret = api_token(learner)
    assert api.get("/me/standing", secret).status_code == 200
    assert token_revoke(user_id=learner.pk, token_id=ApiToken.objects.get().pk, now=timezone.now())
    assert api.get("/me/standing", secret).status_code == 401
    assert not token_revoke(user_id=learner.pk, token_id=ApiToken.objects.get().pk, now=timezone.now())


def test_a_token_is_revoked_only_by_its_owner(learner):
    api_token(UserFactory())
    assert not token_revoke(user_id=learner.pk, token_id=ApiToken.objects.get().pk, now=timezone.now())
    assert ApiToken.objects.get().revoked_at is None
