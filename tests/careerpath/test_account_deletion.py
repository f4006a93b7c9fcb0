"""A learner deletes their account after confirming with their password (careerpath/account_deletion.py)."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse

from assessments.models import LearnerStanding, MentorRating, Mentorship
from careerpath.account_deletion import DELETED_USERNAME
from careerpath.models import UserSession
from roadmap.models import Comment, Notification
from tests.browser.steps import PASSWORD
from tests.factories import AdminFactory, MentorFactory
from tests.relations import relations_to_user

pytestmark = pytest.mark.django_db
User = get_user_model()


def _counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models(include_auto_created=True)}


def _rows_about(user) -> dict[str, set]:
    """Model label -> ids of the rows that go with the user: keyed to them, or to a row that is, by CASCADE."""
    cascading = [f for f in relations_to_user().values() if f.remote_field.on_delete is models.CASCADE]
    about: dict[str, set] = {User._meta.label: {user.pk}}
    while True:
        grown = False
        for field in cascading:
            targets = about.get(field.related_model._meta.label, set())
            ids = set(field.model.objects.filter(**{f"{field.name}__in": targets}).values_list("pk", flat=True))
            label = field.model._meta.label
            if not ids <= about.get(label, set()):
                about[label] = about.get(label, set()) | ids
                grown = True
        if not grown:
            return about


def _log_in(username: str) -> Client:
    browser = Client()
    assert browser.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return browser


def _delete(browser: Client, password: str = PASSWORD):
    return browser.post(reverse("account_delete"), {"password": password})


def test_the_confirmation_page_says_what_goes_and_what_stays_and_deletes_nothing(learner_history):
    browser = _log_in("ada")
    page = browser.get(reverse("account_delete"))
    text = page.content.decode()
    assert page.status_code == 200 and "What goes, at once" in text and "What stays" in text
    assert 'autocomplete="current-password"' in text and "csrfmiddlewaretoken" in text
    assert User.objects.filter(username="ada").exists()


def test_a_wrong_password_is_refused_and_nothing_is_deleted(learner_history):
    browser = _log_in("ada")
    before = _counts()
    response = _delete(browser, "not-my-password")
    assert response.status_code == 400
    assert "That is not your password. Nothing was deleted." in response.content.decode()
    after = _counts()
    assert {k: (before[k], after[k]) for k in before if before[k] != after[k]} == {"axes.AccessAttempt": (0, 1)}
    assert browser.get(reverse("dashboard")).status_code == 200  # still signed in


def test_an_empty_password_is_refused(learner_history):
    browser = _log_in("ada")
    response = _delete(browser, "")
    assert response.status_code == 400 and User.objects.filter(username="ada").exists()


def test_a_post_without_the_csrf_token_deletes_nothing(learner_history):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(learner_history["learner"])
    assert _delete(browser).status_code == 403
    assert User.objects.filter(username="ada").exists()


def test_the_right_password_removes_every_row_about_the_learner_and_nothing_else(learner_history):
    ada = learner_history["learner"]
    browser = _log_in("ada")
    _delete(browser, "a-wrong-guess")  # an axes record under ada's name: it goes too
    about = _rows_about(ada)
    told_mentors = Notification.objects.filter(recipient=learner_history["mentor"], message__startswith="ada ")
    assert told_mentors.count() == 1
    before, mentors_told = _counts(), told_mentors.count()
    assert {"assessments.Response", "roadmap.RoadmapStep", "roadmap.Comment", "careerpath.UserSession"} <= {
        label for label, ids in about.items() if ids
    }

    response = _delete(browser)

    assert response.status_code == 302 and response.url == reverse("home")
    after = _counts()
    expected = {label: before[label] - len(about.get(label, ())) for label in before}
    expected["roadmap.Notification"] -= mentors_told
    expected["axes.AccessAttempt"] -= 1
    expected["axes.AccessLog"] -= 1
    assert after == expected, {k: (before[k], after[k], expected[k]) for k in before if after[k] != expected[k]}
    for key, field in relations_to_user().items():
        if field.related_model is User:
            assert not field.model.objects.filter(**{field.name: ada.pk}).exists(), key
    assert not AccessAttempt.objects.filter(username="ada").exists() and not AccessLog.objects.filter(username="ada")


def test_the_learner_is_logged_out_and_told_on_the_home_page_and_cannot_log_in_again(learner_history):
    browser = _log_in("ada")
    home = browser.get(_delete(browser).url)
    assert "Your account and everything CareerPath held about you have been deleted." in home.content.decode()
    assert browser.get(reverse("dashboard")).status_code == 302
    response = Client().post(reverse("login"), {"username": "ada", "password": PASSWORD})
    assert response.status_code == 200 and not User.objects.filter(username="ada").exists()


def test_the_learners_other_sessions_and_their_mentors_access_end_at_once(learner_history):
    ada = learner_history["learner"]
    other_browser, mentor = Client(), Client()
    other_browser.force_login(ada)
    mentor.force_login(learner_history["mentor"])
    mentee_page = reverse("mentee_detail", args=[ada.pk])
    assert mentor.get(mentee_page).status_code == 200
    assert other_browser.get(reverse("dashboard")).status_code == 200

    _delete(_log_in("ada"))

    assert not UserSession.objects.filter(user_id=ada.pk).exists()
    assert mentor.get(mentee_page).status_code == 404
    assert mentor.get(reverse("mentor_dashboard")).status_code == 200
    response = other_browser.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_get_never_deletes(learner_history):
    browser = _log_in("ada")
    browser.get(reverse("account_delete"), {"password": PASSWORD})
    assert User.objects.filter(username="ada").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("account_delete"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_staff_cannot_delete_themselves_here(client):
    admin = AdminFactory(username="root")
    client.force_login(admin)
    page = client.get(reverse("account_delete"))
    assert page.status_code == 200 and "another admin deletes them in the admin" in page.content.decode()
    assert 'name="password"' not in page.content.decode()
    assert _delete(client).status_code == 403
    assert User.objects.filter(username="root").exists()
    assert "Staff accounts are deleted by another admin" in client.get(reverse("profile")).content.decode()


def test_wrong_passwords_are_throttled_like_log_in(learner_history, settings):
    browser = _log_in("ada")
    statuses = [_delete(browser, f"guess-{n}").status_code for n in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    response = _delete(browser)  # even the right password, while paused
    assert response.status_code == 429 and "Too many wrong passwords" in response.content.decode()
    assert User.objects.filter(username="ada").exists()
    assert Client().post(reverse("login"), {"username": "ada", "password": PASSWORD}).status_code == 429


def test_a_deleted_mentors_ratings_and_comments_stay_with_their_mentees_as_a_deleted_user(learner_history):
    zoltan = learner_history["other"]
    standing = LearnerStanding.objects.get(learner=zoltan)
    ratings = list(MentorRating.objects.filter(learner=zoltan).values_list("pk", flat=True))
    comments = list(Comment.objects.filter(learner=zoltan).values_list("pk", flat=True))

    response = _delete(_log_in("mia"))

    assert response.status_code == 302 and not User.objects.filter(username="mia").exists()
    placeholder = User.objects.get(username=DELETED_USERNAME)
    assert not placeholder.is_active and not placeholder.has_usable_password()
    assert list(MentorRating.objects.filter(learner=zoltan).values_list("pk", "mentor")) == [
        (pk, placeholder.pk) for pk in ratings
    ]
    assert sorted(Comment.objects.filter(learner=zoltan).values_list("pk", flat=True)) == sorted(comments)
    assert Comment.objects.filter(learner=zoltan, author=placeholder).count() == 1
    assert LearnerStanding.objects.get(learner=zoltan).computed_at == standing.computed_at  # level unchanged
    assert not Mentorship.objects.filter(learner=zoltan).exists()
    messages = list(Notification.objects.filter(recipient=zoltan).values_list("message", flat=True))
    assert "A deleted user rated your SQL querying: Working (2)." in messages
    assert "A deleted user commented on your SQL querying." in messages
    assert not any("mia" in message for message in messages)
    browser = Client()
    browser.force_login(zoltan)
    results = browser.get(reverse("results")).content.decode()
    assert "by a deleted user" in results and "mia" not in results
    assert Client().post(reverse("login"), {"username": DELETED_USERNAME, "password": ""}).status_code == 200


def test_two_deleted_mentors_share_one_placeholder(learner_history):
    other_mentor = MentorFactory(username="omar")
    Comment.objects.create(
        learner=learner_history["other"],
        competency=learner_history["sql"],
        author=other_mentor,
        body="Hi",
        created_at=learner_history["step"].added_at,
    )
    _delete(_log_in("mia"))
    _delete(_log_in("omar"))
    assert User.objects.filter(username=DELETED_USERNAME).count() == 1
    assert Comment.objects.filter(author__username=DELETED_USERNAME).count() == 3  # mia's two, omar's one


def test_no_key_to_the_user_blocks_the_deletion_or_keeps_their_data():
    """Each key straight to the user cascades, or (an invite they accepted) forgets them; ratings and
    comments written as a mentor are moved to the placeholder before the row goes."""
    on_delete = {
        key: field.remote_field.on_delete for key, field in relations_to_user().items() if field.related_model is User
    }
    assert on_delete.pop("assessments.MentorInvite.accepted_by") is models.SET_NULL
    assert set(on_delete.values()) == {models.CASCADE}, on_delete


def test_a_mentees_cached_threads_show_a_deleted_user_at_once(learner_history):
    zoltan, sql = learner_history["other"], learner_history["sql"]
    Mentorship.objects.create(mentor=MentorFactory(username="omar"), learner=zoltan)  # still has a mentor
    browser = Client()
    browser.force_login(zoltan)
    area_page = reverse("self_assessment_area", args=[sql.area.slug])
    assert "<strong>mia</strong>" in browser.get(area_page).content.decode()  # rendered and cached

    _delete(_log_in("mia"))

    page = browser.get(area_page).content.decode()
    assert "<strong>a deleted user</strong>" in page and "<strong>mia</strong>" not in page


def test_deleting_twice_leaves_one_result(learner_history):
    from careerpath.account_deletion import account_delete

    ada = learner_history["learner"]
    assert account_delete(user_id=ada.pk).rows["auth.User"] == 1
    assert account_delete(user_id=ada.pk).rows == {}
