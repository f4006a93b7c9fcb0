"""The shareable profile card: who may see it, and the top skills it shows with their evidence.

A card is open to anyone holding its link while its learner shares it; the link's code is random
(128 bits), so holding the link is the permission. Turning sharing off closes it at once; a new link
makes every earlier one stop working.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from .models import PROFICIENCY_DESCRIPTORS, Proficiency, ProfileCard
from .standing import CompetencyStanding, Standing

TOP_SKILLS = 5


def _new_code() -> str:
    return secrets.token_urlsafe(16)


def card_of(*, learner_id: int, now: datetime) -> ProfileCard:
    """The learner's card, created (not shared) on first use."""
    card, _ = ProfileCard.objects.get_or_create(
        learner_id=learner_id, defaults={"code": _new_code(), "shared": False, "changed_at": now}
    )
    return card


def card_share(*, learner_id: int, shared: bool, now: datetime) -> ProfileCard:
    card = card_of(learner_id=learner_id, now=now)
    ProfileCard.objects.filter(pk=card.pk).update(shared=shared, changed_at=now)
    card.shared, card.changed_at = shared, now
    return card


def card_new_link(*, learner_id: int, now: datetime) -> ProfileCard:
    """A new code: every link given out before stops working."""
    card = card_of(learner_id=learner_id, now=now)
    card.code, card.changed_at = _new_code(), now
    card.save(update_fields=["code", "changed_at"])
    return card


def shared_card(code: str) -> ProfileCard | None:
    """The card behind a link, with its learner, or None if there is none or it is not shared."""
    return ProfileCard.objects.select_related("learner").filter(code=code, shared=True).first()


@dataclass(frozen=True)
class Skill:
    """A competency on the card: the combined proficiency and what it rests on."""

    name: str
    step: int
    questions: int  # answers that measured it
    sources: tuple[str, ...]  # "quiz", "self", "mentor"

    @property
    def label(self) -> str:
        return f"{self.step} · {Proficiency(self.step).label}"

    @property
    def descriptor(self) -> str:
        return PROFICIENCY_DESCRIPTORS[self.step]

    @property
    def evidence(self) -> str:
        parts = []
        if "quiz" in self.sources:
            parts.append(f"{self.questions} quiz answer{'s' if self.questions != 1 else ''}")
        if "mentor" in self.sources:
            parts.append("a mentor's rating")
        if "self" in self.sources:
            parts.append("their own rating")
        return ", ".join(parts)


def top_skills(standing: Standing, limit: int = TOP_SKILLS) -> list[Skill]:
    """The strongest competencies as the evidence supports them: those measured by answers or rated
    by a mentor before those only self-rated, then by the proficiency held with about 70%
    probability (one lucky answer does not outrank many), then by the number of answers; only
    competencies at "working" (2) or above."""

    def rank(row: CompetencyStanding) -> tuple:
        checked = bool({"quiz", "mentor"} & set(row.current.sources))
        return (not checked, -row.current.cautious_value, -(row.stored.answers or 0))

    assessed = [row for row in standing.by_competency.values() if row.current is not None and row.current.step >= 2]
    return [
        Skill(
            name=row.competency.name,
            step=row.current.step,
            questions=row.stored.answers or 0,
            sources=row.current.sources,
        )
        for row in sorted(assessed, key=rank)[:limit]
    ]
