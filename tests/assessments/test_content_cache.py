"""The content read once per process and reloaded when any process changes it."""

import pytest
from django.core.cache import cache

from assessments.content import VERSION_KEY, content_load
from assessments.models import Expectation, Level
from tests.factories import ExpectationFactory

pytestmark = pytest.mark.django_db


def test_the_content_is_read_once_until_it_changes(django_assert_num_queries):
    ExpectationFactory(proficiency=1)
    first = content_load()
    with django_assert_num_queries(0):
        assert content_load() is first


def test_a_saved_cell_is_seen_at_once():
    cell = ExpectationFactory(proficiency=1)
    content_load()
    Expectation.objects.filter(pk=cell.pk).update(proficiency=2)  # no signal: still the cached copy
    assert content_load().areas[0].competencies.all()[0].expectations.all()[0].proficiency == 1
    cell.proficiency = 3
    cell.save()
    assert content_load().areas[0].competencies.all()[0].expectations.all()[0].proficiency == 3


def test_a_change_in_another_process_is_seen_through_the_shared_version():
    ExpectationFactory()
    content_load()
    Level.objects.update(name="Renamed elsewhere")  # as another process would, then bumps the version
    cache.set(VERSION_KEY, "changed-by-another-process")
    assert {level.name for level in content_load().levels} == {"Renamed elsewhere"}
