"""Who may see what: every mentor-workspace view for every role."""

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import MentorRating, Mentorship
from roadmap.compute import roadmap_recompute
from roadmap.models import Comment
from tests.factories import AdminFactory, MentorFactory, UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "learner", "other_learner", "mentor", "other_mentor", "admin"]


@pytest.fixture
def people(roadmap_world):
    learner = roadmap_world["learner"]
    mentor = MentorFactory(username="mia")
    Mentorship.objects.create(mentor=mentor, learner=learner)
    other_mentor = MentorFactory(username="omar")
    Mentorship.objects.create(mentor=other_mentor, learner=UserFactory())
    roadmap_recompute(learner_id=learner.pk, now=timezone.now())
    return {
        "anonymous": None,
        "learner": learner,
        "other_learner": UserFactory(),
        "mentor": mentor,
        "other_mentor": other_mentor,
        "admin": AdminFactory(),
        "world": roadmap_world,
    }


def _as(client, people, role):
    if people[role] is not None:
        client.force_login(people[role])
    return client


def _status(response) -> int | str:
    if response.status_code == 302 and reverse("login") in response.url:
        return "login"
    return response.status_code


MENTEE_PAGE_EXPECTED = {
    "anonymous": "login",
    "learner": 403,
    "other_learner": 403,
    "mentor": 200,
    "other_mentor": 404,
    "admin": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_mentee_page(client, people, role):
    url = reverse("mentee_detail", args=[people["learner"].pk])
    assert _status(_as(client, people, role).get(url)) == MENTEE_PAGE_EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_a_mentees_opened_step(client, people, role):
    step = people["learner"].roadmap.steps.first()
    url = reverse("mentee_step_detail", args=[people["learner"].pk, step.pk])
    assert _status(_as(client, people, role).get(url)) == MENTEE_PAGE_EXPECTED[role]


@pytest.mark.parametrize("role", ROLES)
def test_a_mentees_roadmap_status(client, people, role):
    url = reverse("mentee_roadmap_status", args=[people["learner"].pk])
    expected = {**MENTEE_PAGE_EXPECTED, "mentor": 204}[role]  # not computing: the page may reload
    assert _status(_as(client, people, role).get(url, HTTP_HX_REQUEST="true")) == expected


@pytest.mark.parametrize("role", ROLES)
def test_a_learners_opened_step(client, people, role):
    step = people["learner"].roadmap.steps.first()
    expected = {"anonymous": "login", "learner": 200}.get(role, 404)
    assert _status(_as(client, people, role).get(reverse("step_detail", args=[step.pk]))) == expected


@pytest.mark.parametrize("role", ROLES)
def test_mentor_rating(client, people, role):
    url = reverse("mentee_rate", args=[people["learner"].pk, people["world"]["sql"].slug])
    response = _as(client, people, role).post(url, {"proficiency": "3", "note": "Reviewed PR #42"})
    expected = {**MENTEE_PAGE_EXPECTED, "mentor": 302}[role]
    assert _status(response) == expected
    assert MentorRating.objects.exists() == (role == "mentor")


@pytest.mark.parametrize("role", ROLES)
def test_mentor_dashboard(client, people, role):
    expected = {
        "anonymous": "login",
        "learner": 403,
        "other_learner": 403,
        "mentor": 200,
        "other_mentor": 200,
        "admin": 403,
    }
    response = _as(client, people, role).get(reverse("mentor_dashboard"))
    assert _status(response) == expected[role]
    if role == "other_mentor":
        assert people["learner"].get_username() not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_commenting_on_a_learners_competency(client, people, role):
    url = reverse("comment_add", args=[people["learner"].pk, people["world"]["sql"].slug])
    response = _as(client, people, role).post(url, {"body": "Let's pair on this"})
    expected = {
        "anonymous": "login",
        "learner": 302,
        "other_learner": 403,
        "mentor": 302,
        "other_mentor": 404,
        "admin": 403,
    }
    assert _status(response) == expected[role]
    assert Comment.objects.exists() == (role in ("learner", "mentor"))


@pytest.mark.parametrize("role", ROLES)
def test_the_learners_own_pages_show_only_their_data(client, people, role):
    for name in ("roadmap", "results", "dashboard", "my_mentors", "notifications"):
        response = _as(client, people, role).get(reverse(name))
        if role == "anonymous":
            assert _status(response) == "login"
            continue
        assert response.status_code == 200
        body = response.content.decode()
        if role != "learner" and name == "roadmap":
            assert "SQL querying" not in body


def test_ending_the_mentorship_ends_access_at_once(client, people):
    client.force_login(people["learner"])
    mentorship = Mentorship.objects.get(mentor=people["mentor"])
    client.post(reverse("mentorship_end", args=[mentorship.pk]))
    client.force_login(people["mentor"])
    assert client.get(reverse("mentee_detail", args=[people["learner"].pk])).status_code == 404
    dashboard = client.get(reverse("mentor_dashboard")).content.decode()
    assert people["learner"].get_username() not in dashboard


def test_a_learner_cannot_end_someone_elses_mentorship(client, people):
    mentorship = Mentorship.objects.get(mentor=people["mentor"])
    client.force_login(people["other_learner"])
    assert client.post(reverse("mentorship_end", args=[mentorship.pk])).status_code == 404
    assert Mentorship.objects.get(pk=mentorship.pk).active


def test_step_notes_stay_private_unless_shared(client, people):
    learner, mentor = people["learner"], people["mentor"]
    step = learner.roadmap.steps.filter(competency=people["world"]["sql"]).first()
    client.force_login(learner)
    client.post(reverse("step_note", args=[step.pk]), {"note": "Nervous about joins"})
    opened = reverse("mentee_step_detail", args=[learner.pk, step.pk])
    client.force_login(mentor)
    assert "Nervous about joins" not in client.get(opened).content.decode()
    client.force_login(learner)
    client.post(reverse("step_note", args=[step.pk]), {"note": "Nervous about joins", "note_shared": "on"})
    client.force_login(mentor)
    assert "Nervous about joins" in client.get(opened).content.decode()


def test_notifications_are_only_the_recipients(client, people):
    from roadmap.notifications import notify

    notify(recipient_id=people["learner"].pk, message="Private message for ada", url="/roadmap/", now=timezone.now())
    client.force_login(people["other_learner"])
    assert "Private message for ada" not in client.get(reverse("notifications")).content.decode()
    client.force_login(people["learner"])
    assert "Private message for ada" in client.get(reverse("notifications")).content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_creating_an_invite(client, people, role):
    from assessments.models import MentorInvite

    response = _as(client, people, role).post(reverse("invite_new"))
    expected = {"anonymous": "login", "learner": 403, "other_learner": 403, "mentor": 302, "other_mentor": 302}
    assert _status(response) == expected.get(role, 403)
    assert MentorInvite.objects.exists() == (role in ("mentor", "other_mentor"))


@pytest.mark.parametrize("role", ROLES)
def test_accepting_an_invite(client, people, role):
    from assessments.mentorships import invite_create

    invite = invite_create(mentor_id=people["other_mentor"].pk, now=timezone.now())
    response = _as(client, people, role).post(reverse("invite_accept", args=[invite.code]))
    assert _status(response) == ("login" if role == "anonymous" else 302)
    mentees = set(Mentorship.objects.active().filter(mentor=people["other_mentor"]).values_list("learner", flat=True))
    # Any signed-in person can accept the link they were given, except the mentor who made it.
    accepted = role not in ("anonymous", "other_mentor")
    assert (people[role] is not None and people[role].pk in mentees) == accepted


@pytest.mark.parametrize("role", ROLES)
def test_ending_a_mentorship_asks_first_then_ends_it(client, people, role):
    mentorship = Mentorship.objects.get(mentor=people["mentor"], learner=people["learner"])
    url = reverse("mentorship_end", args=[mentorship.pk])
    asked = _as(client, people, role).get(url)
    assert _status(asked) == {"anonymous": "login", "learner": 200}.get(role, 404)
    assert ("End mentorship with mia?" in asked.content.decode()) == (role == "learner")
    mentorship.refresh_from_db()
    assert mentorship.active  # asking is not ending
    assert _status(client.post(url)) == {"anonymous": "login", "learner": 302}.get(role, 404)
    mentorship.refresh_from_db()
    assert mentorship.active == (role != "learner")


@pytest.mark.parametrize("role", ROLES)
def test_marking_notifications_read_touches_only_ones_own(client, people, role):
    from roadmap.models import Notification
    from roadmap.notifications import notify

    notify(recipient_id=people["learner"].pk, message="For the learner", url="/", now=timezone.now())
    response = _as(client, people, role).post(reverse("notifications_read"))
    assert _status(response) == ("login" if role == "anonymous" else 302)
    still_unread = Notification.objects.unread().filter(recipient=people["learner"]).exists()
    assert still_unread == (role != "learner")
