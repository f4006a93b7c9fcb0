import pytest
from django.urls import reverse

from assessments.models import LearnerProfile, SelfRating
from tests.factories import CompetencyFactory, ExpectationFactory, LevelFactory, UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ladder():
    return [
        LevelFactory(slug=s, name=s.title(), order=i, years_min=y)
        for i, (s, y) in enumerate([("junior", 0), ("developer", 2), ("senior", 5)], 1)
    ]


def test_sign_up_leads_to_onboarding(client):
    response = client.post(
        reverse("signup"),
        {
            "username": "ada",
            "email": "ada@example.com",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )
    assert response.url == reverse("onboarding")


def test_onboarding_saves_role_years_and_target(client, learner, ladder):
    response = client.post(
        reverse("onboarding"),
        {"current_role": "API developer", "years_experience": "3", "current_level": "", "target_level": ladder[2].pk},
    )
    assert response.url == reverse("self_assessment")
    profile = LearnerProfile.objects.get(user=learner)
    assert (profile.current_role, profile.years_experience) == ("API developer", 3)
    assert profile.current_level == ladder[1], "suggested from 3 years of experience"
    assert profile.target_level == ladder[2]


def test_a_target_below_the_current_level_is_refused_and_input_kept(client, learner, ladder):
    response = client.post(
        reverse("profile"),
        {
            "current_role": "Lead dev",
            "years_experience": "9",
            "current_level": ladder[2].pk,
            "target_level": ladder[0].pk,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Pick a target at or above your current level." in body and 'value="Lead dev"' in body


def test_a_target_is_required(client, learner, ladder):
    response = client.post(reverse("profile"), {"current_role": "", "years_experience": "", "target_level": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_area_page_shows_current_and_target_expectations(client, learner, ladder):
    competency = CompetencyFactory(name="SQL querying")
    for level, text in zip(ladder, ["Writes SELECTs.", "Designs schemas.", "Tunes the planner."], strict=True):
        ExpectationFactory(competency=competency, level=level, description=text)
    LearnerProfile.objects.create(user=learner, current_level=ladder[0], target_level=ladder[2])
    body = client.get(reverse("self_assessment_area", args=[competency.area.slug])).content.decode()
    assert "Writes SELECTs." in body and "Tunes the planner." in body and "Designs schemas." not in body


def test_a_rating_saves_at_once_and_confirms(client, learner):
    competency = CompetencyFactory()
    response = client.post(reverse("rate", args=[competency.slug]), {"proficiency": "3"}, **HTMX)
    assert response.status_code == 200
    assert "Saved: Proficient (3)" in response.content.decode()
    assert SelfRating.objects.get(learner=learner, competency=competency).proficiency == 3


def test_re_rating_keeps_the_history(client, learner):
    competency = CompetencyFactory()
    for value in ("1", "2", "3"):
        client.post(reverse("rate", args=[competency.slug]), {"proficiency": value}, **HTMX)
    history = SelfRating.objects.filter(learner=learner, competency=competency).order_by("rated_at", "id")
    assert [r.proficiency for r in history] == [1, 2, 3]


def test_without_javascript_a_rating_redirects_back_to_the_competency(client, learner):
    competency = CompetencyFactory()
    response = client.post(reverse("rate", args=[competency.slug]), {"proficiency": "2"})
    assert response.url.endswith(f"#competency-{competency.slug}")


@pytest.mark.parametrize("value", ["", "5", "-1", "two", "2.5"])
def test_an_invalid_rating_is_refused_with_a_message(client, learner, value):
    competency = CompetencyFactory()
    response = client.post(reverse("rate", args=[competency.slug]), {"proficiency": value}, **HTMX)
    assert response.status_code == 422
    assert "Pick a rating from 0 to 4." in response.content.decode()
    assert not SelfRating.objects.exists()


def test_rating_an_unknown_competency_is_404(client, learner):
    assert client.post(reverse("rate", args=["nope"]), {"proficiency": "2"}).status_code == 404


def test_rating_needs_post(client, learner):
    competency = CompetencyFactory()
    assert client.get(reverse("rate", args=[competency.slug])).status_code == 405


def test_a_learner_sees_only_their_own_ratings(client, learner):
    competency = CompetencyFactory()
    other = UserFactory()
    SelfRating.objects.create(learner=other, competency=competency, proficiency=4, rated_at="2026-01-01T00:00Z")
    body = client.get(reverse("self_assessment_area", args=[competency.area.slug])).content.decode()
    assert "Not rated yet." in body and "checked" not in body


def test_the_dashboard_has_useful_empty_states(client, learner):
    body = client.get(reverse("dashboard")).content.decode()
    assert "Set your level and target" in body and "Nothing yet." in body
