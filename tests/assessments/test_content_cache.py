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


def test_a_stored_recompute_reads_the_content_fresh(roadmap_world, monkeypatch):
    """A worker without a shared cache may hold an old copy: the roadmap it stores must not use it."""
    from django.utils import timezone

    from assessments import content

    monkeypatch.setattr(content, "_shared_version", lambda: False)

    from roadmap.compute import roadmap_recompute
    from roadmap.models import RoadmapStep
    from tests.conftest import rated

    learner = rated(roadmap_world)["learner"]
    roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    content_load()
    senior = roadmap_world["levels"][2]
    Expectation.objects.filter(competency=roadmap_world["sql"], level=senior).update(proficiency=4)  # no signal
    assert roadmap_recompute(learner_id=learner.pk, now=timezone.now()) == "updated"
    assert RoadmapStep.objects.get(competency=roadmap_world["sql"], milestone=senior).to_proficiency == 4


def test_with_a_shared_version_work_that_is_stored_keeps_the_current_copy(monkeypatch):
    from assessments import content

    ExpectationFactory()
    monkeypatch.setattr(content, "_shared_version", lambda: True)
    held = content_load(stored=True)
    assert content_load(stored=True) is held  # the shared version vouches for it: not read again
    cache.set(VERSION_KEY, "changed-by-another-process")
    assert content_load(stored=True) is not held
    monkeypatch.setattr(content, "_shared_version", lambda: False)
    now_held = content_load()
    assert content_load(stored=True) is not now_held  # nobody vouches: read anew


def test_an_area_this_process_has_not_seen_yet_still_opens(client, learner):
    from django.urls import reverse

    from tests.factories import AreaFactory

    content_load()
    area = AreaFactory()
    cache.set(VERSION_KEY, "as-if-no-process-told-us")
    from assessments import content

    content._cached = (cache.get(VERSION_KEY), content._cached[1], content._cached[2])  # a stale copy
    assert client.get(reverse("self_assessment_area", args=[area.slug])).status_code == 200


def test_a_request_reads_the_content_version_once(client, learner, monkeypatch):
    from django.urls import reverse

    from assessments import content

    class Counting:
        def __init__(self, real):
            self.real, self.reads = real, 0

        def get(self, key, *args, **kwargs):
            self.reads += key == VERSION_KEY
            return self.real.get(key, *args, **kwargs)

        def __getattr__(self, name):
            return getattr(self.real, name)

    ExpectationFactory()
    client.get(reverse("dashboard"))
    counting = Counting(content.cache)
    monkeypatch.setattr(content, "cache", counting)
    for name in ("dashboard", "results", "roadmap"):
        counting.reads = 0
        assert client.get(reverse(name)).status_code == 200
        assert counting.reads == 1, name  # it read it two to four times


def test_a_request_that_changes_the_content_reads_the_new_version():
    from assessments.content import content_changed, content_version, content_version_held

    with content_version_held():
        before = content_version()
        assert content_version() == before
        content_changed()
        assert content_version() != before
