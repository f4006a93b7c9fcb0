"""Deleting one's own account (profile page, "Delete your account"; confirmed with the password).

What goes: the user row and with it, by cascade (every key to the user is CASCADE or SET_NULL: a
test checks), every record about them as a learner: profile, ratings, attempts and answers,
placement tests, standing and estimates, roadmap, comment threads on their competencies (whoever
wrote in them: they are about the learner), mentor ratings of them, notifications, mentorships,
card, activity, and every session (``UserSession.user``), so each signed-in browser, theirs or a
mentor's, loses access at once. Also what is not keyed to the row: mentors' notifications about
the learner (they name them and link to the mentee page, which is gone) and django-axes' log-in
records under their username.

What stays: the content, and other learners' records. A user who mentored others leaves the
ratings and comments they wrote there, attributed to one placeholder account, "a deleted user"
(inactive, no usable password: it never signs in), and the notifications those learners got from
them say "A deleted user ..."; their mentorships and invites go. Keeping them keeps those learners'
history and measured level as they were (a mentor rating is evidence of their level). A nullable
``mentor`` / ``author`` would say the same without a placeholder row, at the cost of a migration.

Staff are refused: an admin deletes an admin in the admin.
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse

from assessments.models import MentorRating, Mentorship
from roadmap.models import Comment, Notification, Roadmap

DELETED_USERNAME = "a deleted user"  # with spaces: no sign-up can take it
# How notifications from a mentor to a learner start (assessments/ratings.py, roadmap/comments.py).
MENTOR_MESSAGE_STARTS = ("{name} rated your ", "{name} commented on your ")


class DeletionRefused(Exception):
    """The account is not deleted from the profile page; the message says why."""


@dataclass(frozen=True)
class AccountDeleted:
    rows: dict[str, int]  # model label -> rows deleted with the user
    learners_kept: list[int]  # other learners whose records now name "a deleted user"


def deletion_refusal(user) -> str | None:
    """Why this user may not delete their own account here, or None."""
    if user.is_staff or user.is_superuser:
        return "Staff accounts are not deleted from the profile page: another admin deletes them in the admin."
    return None


def deleted_user():
    """The one placeholder account that what deleted mentors wrote about other learners is kept under."""
    user, created = get_user_model().objects.get_or_create(username=DELETED_USERNAME, defaults={"is_active": False})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def account_delete(*, user_id: int) -> AccountDeleted:
    user = get_user_model().objects.select_for_update().filter(pk=user_id).first()
    if user is None:  # deleted already (the same confirmation sent twice at once): nothing left to do
        return AccountDeleted(rows={}, learners_kept=[])
    if refusal := deletion_refusal(user):
        raise DeletionRefused(refusal)
    name = user.get_username()
    rated = MentorRating.objects.filter(mentor=user)
    written = Comment.objects.filter(author=user).exclude(learner=user)
    others = (
        set(rated.values_list("learner_id", flat=True))
        | set(written.values_list("learner_id", flat=True))
        | set(Mentorship.objects.filter(mentor=user).values_list("learner_id", flat=True))
    )
    if others:
        placeholder = deleted_user()
        rated.update(mentor=placeholder)
        written.update(author=placeholder)
        starts = Q()
        for start in MENTOR_MESSAGE_STARTS:
            starts |= Q(message__startswith=start.format(name=name))
        Notification.objects.filter(starts, recipient_id__in=others).update(
            message=Concat(Value("A deleted user"), Substr("message", len(name) + 1))
        )
    Notification.objects.filter(url__startswith=reverse("mentee_detail", args=[user.pk])).delete()
    for log in (AccessAttempt, AccessFailureLog, AccessLog):
        log.objects.filter(username=name).delete()
    _, rows = user.delete()
    # Their threads are in cached fragments (roadmap, mentee page, self-assessment area): the
    # revision is in each key, so the placeholder's name shows at once.
    Roadmap.objects.filter(learner_id__in=others).revise()
    return AccountDeleted(rows=rows, learners_kept=sorted(others))
