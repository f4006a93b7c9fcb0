"""Where a learner stands: computed when the evidence changes, stored, and read by pages.

``standing_refresh`` runs the estimator (``assessments.measurement``) over the learner's evidence
(``assessments.evidence``) and stores a ``CompetencyEstimate`` per assessed competency and a
``LearnerStanding`` with the probability of each level, overall and per area. It is called when an
attempt is submitted, a placement test finishes, a rating is saved, and by every roadmap recompute
(so content changes and recalibration reach every learner). ``learner_standing`` only reads what is
stored, in a fixed number of queries, and never runs the estimator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django.contrib.auth import get_user_model
from django.db import transaction

from careerpath.bulk import insert_rows, update_rows
from careerpath.sql import first_row

from .content import Measurement, content_load
from .evidence import LearnerEvidence, learners_evidence
from .measurement.estimation import CompetencyEvidence, posterior
from .models import (
    CompetencyArea,
    CompetencyEstimate,
    Expectation,
    LearnerProfile,
    LearnerStanding,
    Level,
    MentorRating,
)
from .scoring import CurrentProficiency, Estimate, ExpectationsMet, expectations_met

POSSIBLY_AT_LEAST = 0.15  # a second level is named ("possibly ...") from this probability


# --- compute on write ------------------------------------------------------------------------


def standing_refresh(*, learner_id: int, now: datetime, fresh_content: bool = False) -> LearnerStanding:
    """Recompute and store the learner's standing from all their evidence. Idempotent."""
    measurement = content_load(fresh=fresh_content).measurement
    return standings_refresh(learner_ids=[learner_id], now=now, measurement=measurement)[learner_id]


def standings_refresh(
    *, learner_ids: list[int], now: datetime, measurement: Measurement, only_stale: bool = False
) -> dict[int, LearnerStanding]:
    """Recompute and store the standings of many learners in a fixed number of queries (the
    estimator runs per learner). With ``only_stale``, a standing already estimated with this
    measurement is kept as it is: evidence changes refresh it when they happen, so only a content
    change (matrix or item parameters) can make it stale."""
    ids = sorted(set(learner_ids))
    with transaction.atomic():
        LearnerStanding.objects.bulk_create(
            [LearnerStanding(learner_id=i, computed_at=now) for i in ids], ignore_conflicts=True
        )
        # One refresh at a time per learner (rows locked in id order: chunks never deadlock), reading
        # the evidence inside the lock, so the last to finish is never one that read older evidence.
        standings = {
            row.learner_id: row
            for row in LearnerStanding.objects.select_for_update().filter(learner_id__in=ids).order_by("learner_id")
        }
        stale = [i for i in ids if not (only_stale and standings[i].measured_with == measurement.fingerprint)]
        if not stale:
            return standings
        evidence = learners_evidence(learner_ids=stale, item_params=measurement.item_params)
        targets = dict(
            LearnerProfile.objects.filter(user_id__in=stale, target_level__isnull=False).values_list(
                "user_id", "target_level_id"
            )
        )
        met_before = _targets_met(
            targets,
            CompetencyEstimate.objects.filter(learner_id__in=list(targets)).values_list(
                "learner_id", "competency_id", "proficiency", "spread"
            ),
        )
        rows = []
        for learner_id in stale:
            rows += _estimate(learner_id, evidence[learner_id], measurement, standings[learner_id])
            standings[learner_id].computed_at = now
            standings[learner_id].measured_with = measurement.fingerprint
        CompetencyEstimate.objects.filter(learner_id__in=stale).delete()
        insert_rows(CompetencyEstimate, _ESTIMATE_FIELDS, [[getattr(row, f) for f in _ESTIMATE_ATTRS] for row in rows])
        fields = ["level_probabilities", "area_level_probabilities", "computed_at", "measured_with"]
        update_rows(
            LearnerStanding, fields, [[getattr(standings[i], f) for f in fields] + [standings[i].pk] for i in stale]
        )
        met_now = _targets_met(targets, [(r.learner_id, r.competency_id, r.proficiency, r.spread) for r in rows])
        if newly_met := {pair: required for pair, required in met_now.items() if pair not in met_before}:
            # Only on the transition: a refresh that changes nothing schedules nothing.
            from roadmap.rechecks import rechecks_schedule_met

            rechecks_schedule_met(met=newly_met, now=now)
    return standings


def _targets_met(targets: dict[int, int], estimates) -> dict[tuple[int, int], int]:
    """(learner, competency) -> the proficiency the learner's target expects, for each expectation
    the estimate meets as the plan counts it (``CurrentProficiency.cautious_step``: no step needed)."""
    if not targets:
        return {}
    required = {
        (cell.level_id, competency.pk): cell.proficiency
        for area in content_load().areas
        for competency in area.competencies.all()
        for cell in competency.expectations.all()
        if cell.proficiency >= 1
    }
    met = {}
    for learner_id, competency_id, proficiency, spread in estimates:
        need = required.get((targets.get(learner_id), competency_id))
        current = CurrentProficiency(value=round(proficiency, 2), spread=round(spread, 2), sources=())
        if need is not None and current.cautious_step >= need:
            met[(learner_id, competency_id)] = need
    return met


_ESTIMATE_FIELDS = [
    "learner", "competency", "proficiency", "spread", "answers", "quiz_proficiency", "quiz_spread", "sources",
    "self_rating", "self_rated_at", "mentor_rating",
]  # fmt: skip
_ESTIMATE_ATTRS = [CompetencyEstimate._meta.get_field(name).attname for name in _ESTIMATE_FIELDS]


def _estimate(
    learner_id: int, known: LearnerEvidence, measurement: Measurement, standing: LearnerStanding
) -> list[CompetencyEstimate]:
    """Run the estimator over one learner's evidence: their estimates, and their level
    probabilities set on ``standing``."""
    evidence = known.competencies
    result = posterior(measurement.model, evidence)
    answers_only = posterior(
        measurement.model,
        {cid: CompetencyEvidence(answers=e.answers) for cid, e in evidence.items() if e.answers},
        levels=False,  # only what the answers say of each competency is stored
    )
    rows = []
    for cid, estimate in result.competencies.items():
        if not estimate.assessed:
            continue
        own = evidence[cid]
        quiz = answers_only.competencies[cid] if own.answers else None
        sources = [
            name
            for name, present in (
                ("quiz", bool(own.answers)),
                ("self", own.self_rating is not None),
                ("mentor", own.mentor_rating is not None),
            )
            if present
        ]
        self_rating = known.self_ratings.get(cid)
        rows.append(
            CompetencyEstimate(
                learner_id=learner_id,
                competency_id=cid,
                proficiency=round(estimate.proficiency, 3),
                spread=round(estimate.sd, 3),
                answers=estimate.answers,
                quiz_proficiency=round(quiz.proficiency, 3) if quiz else None,
                quiz_spread=round(quiz.sd, 3) if quiz else None,
                sources="+".join(sources),
                self_rating=self_rating[0] if self_rating else None,
                self_rated_at=self_rating[1] if self_rating else None,
                mentor_rating_id=known.mentor_rating_ids.get(cid),
            )
        )
    standing.level_probabilities = _rounded(result.level_probabilities)
    standing.area_level_probabilities = {
        str(area_id): _rounded(probs) for area_id, probs in result.area_level_probabilities.items()
    }
    return rows


def _rounded(probabilities) -> list[float]:
    return [] if probabilities is None else [round(float(p), 4) for p in probabilities]


# --- read on render ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """The probability of each level; the most probable is the learner's level."""

    probabilities: tuple[float, ...]

    @property
    def index(self) -> int:
        return max(range(len(self.probabilities)), key=lambda i: (self.probabilities[i], -i))

    @property
    def certainty(self) -> float:
        return self.probabilities[self.index]

    @property
    def possibly_index(self) -> int | None:
        """The runner-up level, when it is a real possibility."""
        others = [i for i in range(len(self.probabilities)) if i != self.index]
        best = max(others, key=lambda i: self.probabilities[i], default=None)
        return best if best is not None and self.probabilities[best] >= POSSIBLY_AT_LEAST else None

    def at_least(self, sure: float) -> int:
        """The highest level the learner reaches with probability ``sure`` or more (a cautious level)."""
        total = 0.0
        for index in range(len(self.probabilities) - 1, -1, -1):
            total += self.probabilities[index]
            if total >= sure:
                return index
        return 0

    @classmethod
    def from_stored(cls, values) -> Placement | None:
        return cls(tuple(values)) if values else None


@dataclass
class CompetencyStanding:
    competency: object
    self_rating: int | None
    self_rated_at: datetime | None
    stored: CompetencyEstimate | None
    expectations: list[Expectation | None]  # one per level, ladder order
    target_expectation: Expectation | None = None
    mentor_rating: MentorRating | None = None

    @property
    def assessed(self) -> bool:
        return self.stored is not None

    @property
    def estimate(self) -> Estimate | None:
        """What the answers alone say; None when no question of it was answered."""
        s = self.stored
        if s is None or s.quiz_proficiency is None:
            return None
        return Estimate(proficiency=round(s.quiz_proficiency, 2), spread=round(s.quiz_spread, 2), questions=s.answers)

    @property
    def current(self) -> CurrentProficiency | None:
        """All evidence combined; None: not assessed yet."""
        s = self.stored
        if s is None:
            return None
        return CurrentProficiency(
            value=round(s.proficiency, 2), spread=round(s.spread, 2), sources=tuple(s.sources.split("+"))
        )

    @property
    def proficiency(self) -> float | None:
        return None if self.stored is None else self.stored.proficiency

    @property
    def level_met(self) -> Expectation | None:
        """The highest level whose expectation here (and every lower level's) the combined proficiency meets."""
        current = self.current
        if current is None:
            return None
        met = None
        for cell in self.expectations:
            if cell is None or cell.proficiency > current.step:
                break
            met = cell
        return met

    def expectation_at(self, level_index: int | None) -> Expectation | None:
        return None if level_index is None else self.expectations[level_index]


def _towards(
    levels: list[Level], rows: list[CompetencyStanding], placement: Placement | None
) -> tuple[int | None, ExpectationsMet]:
    """The level being worked towards (the one above the placed level, the first when not assessed)."""
    index = 0 if placement is None else placement.index + 1
    if index >= len(levels):
        return None, ExpectationsMet(0, 0, 0)
    steps = {row.competency.pk: row.current.step for row in rows if row.current is not None}
    required = {row.competency.pk: row.expectations[index].proficiency for row in rows if row.expectations[index]}
    return index, expectations_met(steps=steps, required=required, competencies=[r.competency.pk for r in rows])


@dataclass
class AreaStanding:
    area: CompetencyArea
    competencies: list[CompetencyStanding]
    levels: list[Level]
    placement: Placement | None = None

    @property
    def level_name(self) -> str | None:
        return None if self.placement is None else self.levels[self.placement.index].name

    @cached_property
    def position(self) -> ExpectationsMet:
        return _towards(self.levels, self.competencies, self.placement)[1]

    @property
    def rated(self) -> int:
        return sum(1 for c in self.competencies if c.self_rating is not None)

    @property
    def assessed(self) -> int:
        return sum(1 for c in self.competencies if c.assessed)

    def average(self, values: list[float | None]) -> float | None:
        known = [v for v in values if v is not None]
        return round(sum(known) / len(known), 2) if known else None

    @property
    def self_average(self) -> float | None:
        return self.average([c.self_rating for c in self.competencies])

    @property
    def quiz_average(self) -> float | None:
        return self.average([c.estimate.proficiency if c.estimate else None for c in self.competencies])

    @property
    def measured_average(self) -> float | None:
        return self.average([c.proficiency for c in self.competencies])

    @property
    def mentor_average(self) -> float | None:
        return self.average([c.mentor_rating.proficiency if c.mentor_rating else None for c in self.competencies])

    @property
    def target_average(self) -> float | None:
        cells = [c.target_expectation for c in self.competencies]
        return self.average([cell.proficiency if cell else None for cell in cells])


@dataclass
class Standing:
    profile: LearnerProfile
    levels: list[Level]
    placement: Placement | None  # None: not assessed yet
    target_index: int | None
    # Changes whenever what a standing page shows can: a refresh (every answer, rating or recompute
    # stores one), a new target, a content change. Rendered fragments are cached under it.
    stamp: str
    # Reads the estimates and builds the rows per area and competency: only when a page asks for
    # them, so a page whose fragments are cached under the stamp never does.
    rows: Callable[..., tuple[list[AreaStanding], dict[int, CompetencyStanding]]] = field(repr=False)
    computed_at: datetime | None = None  # when the standing was last refreshed; None: never

    @cached_property
    def _rows(self) -> tuple[list[AreaStanding], dict[int, CompetencyStanding]]:
        return self.rows()

    def area(self, area_pk: int) -> AreaStanding | None:
        """One area's rows, reading only that area's estimates (the self-assessment page)."""
        areas = self._rows[0] if "_rows" in self.__dict__ else self.rows(only_area=area_pk)[0]
        return next((a for a in areas if a.area.pk == area_pk), None)

    @property
    def areas(self) -> list[AreaStanding]:
        return self._rows[0]

    @property
    def by_competency(self) -> dict[int, CompetencyStanding]:
        return self._rows[1]

    def level_name(self, index: int | None) -> str | None:
        return None if index is None else self.levels[index].name

    @property
    def assessed(self) -> bool:
        return self.placement is not None

    @property
    def level(self) -> Level | None:
        return None if self.placement is None else self.levels[self.placement.index]

    @property
    def certainty(self) -> int | None:
        """The probability of the placed level, in percent."""
        return None if self.placement is None else round(100 * self.placement.certainty)

    @property
    def possibly(self) -> Level | None:
        index = None if self.placement is None else self.placement.possibly_index
        return None if index is None else self.levels[index]

    @property
    def level_chances(self) -> list[tuple[Level, int]]:
        if self.placement is None:
            return []
        return [(level, round(100 * p)) for level, p in zip(self.levels, self.placement.probabilities, strict=False)]

    @cached_property
    def _towards(self) -> tuple[int | None, ExpectationsMet]:
        # Templates read next_level and overall several times: count the expectations once.
        return _towards(self.levels, list(self.by_competency.values()), self.placement)

    @property
    def next_level(self) -> Level | None:
        index = self._towards[0]
        return None if index is None else self.levels[index]

    @property
    def overall(self) -> ExpectationsMet:
        return self._towards[1]


def learner_profile(user) -> LearnerProfile:
    """The user's profile, its levels taken from the held content: as loaded with the signed-in user
    (careerpath/auth.py) or a mentee (roadmap/mentor_views.py), else read (and created for an account
    that has none yet)."""
    profile = None
    if get_user_model().profile.is_cached(user):
        profile = getattr(user, "profile", None)
    if profile is None:
        profile, _ = LearnerProfile.objects.get_or_create(user=user)
    levels = {level.pk: level for level in content_load().levels}
    for name in ("current_level", "target_level"):
        field = LearnerProfile._meta.get_field(name)
        field.set_cached_value(profile, levels.get(getattr(profile, field.attname)))
    return profile


def learner_standing(*, user, fresh_content: bool = False) -> Standing:
    """The stored standing with the content around it; a fixed number of queries, no estimation.
    The per-competency rows (one more query) are read only when used (``Standing.rows``)."""
    profile = learner_profile(user)
    content = content_load(fresh=fresh_content)
    levels = content.levels
    level_index = {level.pk: i for i, level in enumerate(levels)}
    if get_user_model().standing.is_cached(user):  # read with a mentee (roadmap/mentor_views.py)
        standing_row = getattr(user, "standing", None)
    else:
        # Written out: every standing page reads it, and the ORM took longer to build it than to run it.
        sql = "SELECT {s.*} FROM assessments_learnerstanding s WHERE learner_id = %s"
        standing_row = first_row(LearnerStanding, sql, [user.pk], s=LearnerStanding)
    target_index = level_index.get(profile.target_level_id) if profile.target_level_id else None

    def rows(only_area: int | None = None) -> tuple[list[AreaStanding], dict[int, CompetencyStanding]]:
        # The ratings are stored with the estimates (standing_refresh runs on every rating).
        estimates = CompetencyEstimate.objects.filter(learner_id=user.pk).select_related("mentor_rating__mentor")
        if only_area is not None:
            estimates = estimates.filter(competency__area_id=only_area)
        stored = {e.competency_id: e for e in estimates}
        area_probabilities = standing_row.area_level_probabilities if standing_row else {}
        area_standings, by_competency = [], {}
        for area in content.areas:
            if only_area is not None and area.pk != only_area:
                continue
            competency_rows = []
            for competency in area.competencies.all():
                cells: list[Expectation | None] = [None] * len(levels)
                for expectation in competency.expectations.all():
                    cells[level_index[expectation.level_id]] = expectation
                estimate = stored.get(competency.pk)
                row = CompetencyStanding(
                    competency=competency,
                    self_rating=estimate.self_rating if estimate else None,
                    self_rated_at=estimate.self_rated_at if estimate else None,
                    stored=estimate,
                    expectations=cells,
                    target_expectation=None if target_index is None else cells[target_index],
                    mentor_rating=estimate.mentor_rating if estimate else None,
                )
                competency_rows.append(row)
                by_competency[competency.pk] = row
            assessed = any(r.assessed for r in competency_rows)
            placement = Placement.from_stored(area_probabilities.get(str(area.pk))) if assessed else None
            area_standings.append(
                AreaStanding(area=area, competencies=competency_rows, levels=levels, placement=placement)
            )
        return area_standings, by_competency

    stamp = (
        user.pk,
        standing_row.computed_at.isoformat() if standing_row else "-",
        profile.current_level_id,
        profile.target_level_id,
    )
    return Standing(
        profile=profile,
        levels=levels,
        placement=Placement.from_stored(standing_row.level_probabilities) if standing_row else None,
        target_index=target_index,
        stamp=":".join(str(part) for part in (*stamp, content.version or f"process-{id(content)}")),
        rows=rows,
        computed_at=standing_row.computed_at if standing_row else None,
    )
