"""Mentorships: who mentors whom, invitations, and ending a mentorship."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction

from .models import MentorInvite, Mentorship

INVITE_LIFETIME = timedelta(days=14)


class InviteRefused(Exception):
    """The invite cannot be used; the message is for the learner."""


def is_active_mentor(*, mentor_id: int, learner_id: int) -> bool:
    return Mentorship.objects.active().filter(mentor_id=mentor_id, learner_id=learner_id).exists()


def invite_create(*, mentor_id: int, now: datetime) -> MentorInvite:
    return MentorInvite.objects.create(
        mentor_id=mentor_id, code=secrets.token_urlsafe(12), created_at=now, expires_at=now + INVITE_LIFETIME
    )


def invite_accept(*, code: str, learner_id: int, now: datetime) -> Mentorship:
    with transaction.atomic():
        invite = MentorInvite.objects.select_for_update().filter(code=code.strip()).first()
        if invite is None:
            raise InviteRefused("That invite code is not valid. Check it with your mentor.")
        if invite.mentor_id == learner_id:
            raise InviteRefused("This is your own invite: share it with a learner.")
        if not invite.is_usable(now):
            raise InviteRefused("That invite has expired or was already used. Ask your mentor for a new one.")
        existing = Mentorship.objects.active().filter(mentor_id=invite.mentor_id, learner_id=learner_id).first()
        invite.accepted_by_id, invite.accepted_at = learner_id, now
        invite.save(update_fields=["accepted_by", "accepted_at"])
        if existing:
            return existing
        try:
            with transaction.atomic():
                return Mentorship.objects.create(mentor_id=invite.mentor_id, learner_id=learner_id)
        except IntegrityError:
            return Mentorship.objects.active().get(mentor_id=invite.mentor_id, learner_id=learner_id)


def mentorship_end(*, mentorship: Mentorship, now: datetime) -> None:
    """Ends access at once: every mentor view checks for an active mentorship on each request."""
    mentorship.active = False
    mentorship.ended_at = now
    mentorship.save(update_fields=["active", "ended_at"])
