"""The shareable profile card: off until the learner shares it, closed at once when they stop, a new
link retires the old one; it shows the level, the areas and the top skills with their evidence and
nothing private."""

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import ProfileCard
from assessments.profile_card import card_share, top_skills
from assessments.ratings import self_rating_record
from assessments.scoring import CurrentProficiency
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _card_url(learner) -> str:
    return reverse("profile_card", args=[ProfileCard.objects.get(learner=learner).code])


def _share(client, action: str, **headers):
    return client.post(reverse("profile_card_settings"), {"action": action}, headers=headers)


def test_a_card_is_private_until_shared_and_closes_at_once_when_sharing_stops(roadmap_world, client):
    learner = roadmap_world["learner"]
    self_rating_record(learner_id=learner.pk, competency=roadmap_world["sql"], proficiency=3, now=timezone.now())
    client.force_login(learner)
    assert "Share my card" in client.get(reverse("profile")).content.decode()
    assert not ProfileCard.objects.exists()  # opening the profile page creates nothing

    assert _share(client, "share").status_code == 302
    url = _card_url(learner)
    visitor = Client()
    page = visitor.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "ada on the backend ladder" in body and "SQL querying" in body and "from their own rating" in body
    assert learner.email not in body
    assert page["X-Robots-Tag"] == "noindex, nofollow" and '<meta name="robots" content="noindex, nofollow">' in body
    assert page["Referrer-Policy"] == "no-referrer"
    assert url in client.get(reverse("profile")).content.decode()

    _share(client, "stop")
    assert visitor.get(url).status_code == 404
    _share(client, "share")
    assert visitor.get(url).status_code == 200  # sharing again keeps the link given out
    _share(client, "new-link")
    assert visitor.get(url).status_code == 404
    assert visitor.get(_card_url(learner)).status_code == 200


def test_only_the_card_behind_the_link_and_no_guessable_link(roadmap_world, client):
    other = UserFactory(username="grace")
    card_share(learner_id=other.pk, shared=True, now=timezone.now())
    card_share(learner_id=roadmap_world["learner"].pk, shared=True, now=timezone.now())
    client.force_login(roadmap_world["learner"])
    body = client.get(_card_url(other)).content.decode()
    assert "grace on the backend ladder" in body and "ada" not in body.split("<main", 1)[1].split("</main>")[0]
    codes = list(ProfileCard.objects.values_list("code", flat=True))
    assert len(set(codes)) == 2 and all(len(code) >= 22 for code in codes)  # 128 random bits each
    for guess in ("1", str(other.pk), "grace", "%00", "x" * 500):
        assert client.get(f"/card/{guess}/").status_code == 404


def test_the_settings_take_only_a_signed_in_post_with_csrf_and_a_known_action(roadmap_world, client):
    assert _share(Client(), "share").status_code == 302 and not ProfileCard.objects.exists()  # to log-in
    client.force_login(roadmap_world["learner"])
    assert client.get(reverse("profile_card_settings")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(roadmap_world["learner"])
    assert _share(strict, "share").status_code == 403
    response = _share(client, "publish-everything", HX_Request="true")
    assert response.status_code == 400 and "Choose what to do." in response.content.decode()
    assert not ProfileCard.objects.filter(shared=True).exists()
    response = _share(client, "share", HX_Request="true")
    assert response.status_code == 200 and "Link to your card" in response.content.decode()


def test_top_skills_rank_by_what_the_evidence_supports():
    def row(name, value, spread, answers, sources):
        current = CurrentProficiency(value=value, spread=spread, sources=sources)
        return SimpleNamespace(
            competency=SimpleNamespace(name=name), current=current, stored=SimpleNamespace(answers=answers)
        )

    standing = SimpleNamespace(
        by_competency={
            1: row("Lucky guess", 3.4, 1.3, 1, ("quiz",)),  # one right answer: wide
            2: row("SQL", 3.1, 0.3, 14, ("quiz", "self")),  # well measured
            3: row("Caching", 2.2, 0.4, 0, ("self", "mentor")),
            4: row("Kubernetes", 1.0, 0.3, 6, ("quiz",)),  # below working: not a top skill
            5: row("Claimed", 3.8, 0.3, 0, ("self",)),  # only the learner says so: after the checked ones
        }
    )
    skills = top_skills(standing)
    assert [s.name for s in skills] == ["SQL", "Lucky guess", "Caching", "Claimed"]
    assert skills[0].evidence == "14 quiz answers, their own rating"
    assert skills[2].evidence == "a mentor's rating, their own rating"
    assert skills[0].label == "3 · Proficient"
