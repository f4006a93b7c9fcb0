import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from assessments.models import Attempt
from tests.factories import UserFactory, quiz_with_questions


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_starts_create_exactly_one_attempt():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (make test)")
    learner, quiz = UserFactory(), quiz_with_questions()
    barrier = threading.Barrier(20)

    def start() -> str:
        client = Client()
        client.force_login(learner)
        try:
            barrier.wait(timeout=30)
            return client.post(reverse("quiz_start", args=[quiz.slug])).url
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=20) as pool:
        urls = list(pool.map(lambda _: start(), range(20)))

    attempt = Attempt.objects.get(learner=learner, quiz=quiz)
    assert set(urls) == {reverse("attempt", args=[attempt.pk])}
