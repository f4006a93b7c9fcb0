"""Scheduled re-checks: a competency finished or measured as met is asked about again later.

Life cycle (``Recheck.State``): a step marked done (``recheck_schedule``) or a competency the stored
standing newly finds met for the learner's target (``rechecks_schedule_met``, from
``assessments.standing``) is *scheduled* ``INTERVALS[0]`` days out. The daily beat task
(``rechecks_due_remind``) makes it *open*, picks its questions and reminds the learner once: one
in-app notification and one email per learner and run, listing every re-check that fell due.
The learner answers (each answer saved at once, ``recheck_answer_save``) and submits
(``recheck_submit``): *passed* schedules the next, longer interval; *failed* reopens the step and
its next schedule starts again from the first interval (when the step is done again). Either way
the answers are evidence (``assessments.evidence``), the standing is refreshed and the roadmap
recomputed through the durable request path.
"""

from __future__ import annotations

import logging
import math
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse

from assessments.models import Attempt, LearnerProfile, PlacementAnswer, Question, Response
from assessments.placement_tests import pick_record
from assessments.standing import standing_refresh

from .models import Recheck, RecheckAnswer, Roadmap, RoadmapStep
from .notifications import notify
from .requests import roadmap_request

log = logging.getLogger(__name__)

INTERVALS = (30, 90, 180)  # days: after a pass the next one, the last repeats
QUESTIONS = 4
PASS_SHARE = 0.75
RECENT = timedelta(days=180)  # a question answered since then is asked only if nothing else is left


class RecheckRefused(Exception):
    """An action on a re-check that cannot be done; the message is for the learner."""


def recheck_passed(*, right: int, asked: int) -> bool:
    """At least three in four right (all of a shorter set but one of four).

    A question's authored prior makes it answered right about four times in five by a learner at the
    proficiency its label names (``measurement/items.py``), and questions are picked at the step's
    proficiency. With four of them, a learner who holds it passes 82% of the time (0.8⁴ + 4·0.8³·0.2),
    one a step below (about even odds per question) 31%, a guesser (one in four) 5%. The estimator
    is not used here: four answers leave a spread near one step, so its cautious step would fail
    almost everyone; the answers still reach the standing as evidence."""
    return asked > 0 and right >= math.ceil(PASS_SHARE * asked)


def next_interval(days: int) -> int:
    later = [interval for interval in INTERVALS if interval > days]
    return later[0] if later else INTERVALS[-1]


def _has_questions(competency_ids) -> set[int]:
    return set(
        Question.objects.filter(competency_id__in=list(competency_ids), quiz__is_published=True)
        .values_list("competency_id", flat=True)
        .distinct()
    )


def recheck_schedule(*, step: RoadmapStep, now: datetime) -> Recheck | None:
    """A step marked done: its competency re-checked ``INTERVALS[0]`` days out, unless one is
    already active for it (or the bank has no question of it). Concurrent calls converge on one."""
    if step.finds_out or not _has_questions([step.competency_id]):
        return None
    learner_id = Roadmap.objects.filter(pk=step.roadmap_id).values_list("learner_id", flat=True).get()
    _insert([Recheck(learner_id=learner_id, competency_id=step.competency_id, step=step,
                     proficiency=step.to_proficiency, **_timing(INTERVALS[0], now))])  # fmt: skip
    return Recheck.objects.active().filter(learner_id=learner_id, competency_id=step.competency_id).first()


def rechecks_asking(*, learner_id: int) -> dict[int, Recheck]:
    """The learner's open re-checks by the questions they ask: while one is open, the key to its
    questions stays out of the learner's sight elsewhere (an attempt's review, the export), as a
    quiz's review is hidden while its retake is open."""
    answers = RecheckAnswer.objects.filter(recheck__learner_id=learner_id, recheck__state=Recheck.State.OPEN)
    return {a.question_id: a.recheck for a in answers.select_related("recheck__competency")}


def step_status_change(step: RoadmapStep, status: str, *, now: datetime) -> None:
    """The learner moves a step (on the roadmap page or through the API): done schedules its
    re-check, anything else drops one still waiting."""
    step.set_status(status, now=now)
    if step.status == RoadmapStep.Status.DONE:
        recheck_schedule(step=step, now=now)
    else:
        recheck_unschedule(step=step)


def recheck_unschedule(*, step: RoadmapStep) -> int:
    """A done step moved back before its re-check fell due: nothing to re-check any more."""
    return Recheck.objects.filter(step=step, state=Recheck.State.SCHEDULED).delete()[0]


def rechecks_schedule_met(*, met: dict[tuple[int, int], int], now: datetime) -> None:
    """(learner, competency) -> proficiency the target expects, newly met by the standing."""
    with_questions = _has_questions({cid for _, cid in met})
    _insert(
        [
            Recheck(learner_id=lid, competency_id=cid, proficiency=p, **_timing(INTERVALS[0], now))
            for (lid, cid), p in met.items()
            if cid in with_questions
        ]
    )


def _timing(days: int, now: datetime) -> dict:
    return {"interval_days": days, "scheduled_at": now, "due_at": now + timedelta(days=days)}


def _insert(rechecks: list[Recheck]) -> None:
    # ON CONFLICT DO NOTHING: the partial unique index keeps one active re-check per competency.
    Recheck.objects.bulk_create(rechecks, ignore_conflicts=True)


# --- due: questions and the reminder -----------------------------------------------------------


def _recently_answered(learner_id: int, competency_id: int, since: datetime) -> set[int]:
    mine = {"question__competency_id": competency_id, "answered_at__gte": since}
    return (
        set(Response.objects.filter(attempt__learner_id=learner_id, attempt__state=Attempt.State.SUBMITTED, **mine)
            .values_list("question_id", flat=True))
        | set(PlacementAnswer.objects.filter(test__learner_id=learner_id, **mine).values_list("question_id", flat=True))
        | set(RecheckAnswer.objects.filter(recheck__learner_id=learner_id, **mine).values_list("question_id", flat=True))
    )  # fmt: skip


def questions_pick(recheck: Recheck, *, now: datetime) -> list[int]:
    """Up to ``QUESTIONS`` published questions of the competency: not answered recently first,
    then those labelled nearest the proficiency to hold, in an order seeded by the re-check."""
    candidates = list(
        Question.objects.filter(competency_id=recheck.competency_id, quiz__is_published=True)
        .order_by("id")
        .values_list("id", "difficulty")
    )
    recent = _recently_answered(recheck.learner_id, recheck.competency_id, now - RECENT)
    random.Random(recheck.pk).shuffle(candidates)  # noqa: S311 - variety, not a secret
    candidates.sort(key=lambda c: (c[0] in recent, abs(c[1] - max(1, recheck.proficiency))))
    return [question_id for question_id, _ in candidates[:QUESTIONS]]


def rechecks_due_remind(*, now: datetime, limit: int = 500) -> int:
    """Open the re-checks that fell due, with their questions, and remind each learner once: one
    notification (and one email) listing theirs. Safe to run twice at once: rows another run holds
    are skipped, and an opened re-check is no longer due. Returns how many were opened."""
    with transaction.atomic():
        due = list(
            Recheck.objects.due(now=now).select_for_update(skip_locked=True, of=("self",))
            .select_related("competency").order_by("due_at", "id")[:limit]
        )  # fmt: skip
        opened: dict[int, list[Recheck]] = defaultdict(list)
        for recheck in due:
            questions = questions_pick(recheck, now=now)
            if not questions:  # the bank lost the competency's questions since: nothing to ask
                log.warning("Re-check %s has no questions left; dropped", recheck.pk)
                recheck.delete()
                continue
            RecheckAnswer.objects.bulk_create(
                [RecheckAnswer(recheck=recheck, position=n, question_id=q) for n, q in enumerate(questions, 1)]
            )
            opened[recheck.learner_id].append(recheck)
        ids = [r.pk for rechecks in opened.values() for r in rechecks]
        Recheck.objects.filter(pk__in=ids).update(state=Recheck.State.OPEN, reminded_at=now)
        Roadmap.objects.filter(learner_id__in=list(opened)).revise()  # the steps show "re-check due"
        emails = dict(LearnerProfile.objects.filter(user_id__in=list(opened)).values_list("user_id", "roadmap_emails"))
        for learner_id, rechecks in opened.items():
            notify(recipient_id=learner_id, now=now, email=emails.get(learner_id, True), **_reminder(rechecks))
    return len(ids)


def _reminder(rechecks: list[Recheck]) -> dict:
    names = [r.competency.name for r in rechecks]
    if len(rechecks) == 1:
        return {"message": f"A re-check is due: {names[0]}", "url": reverse("recheck", args=[rechecks[0].pk])}
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return {"message": f"{len(names)} re-checks are due: {listed}"[:300], "url": reverse("dashboard") + "#next"}


# --- answering and the outcome -------------------------------------------------------------------


def _locked(recheck_id: int, learner_id: int) -> Recheck:
    """The learner's re-check, locked (``Recheck.DoesNotExist`` if it is not theirs)."""
    return Recheck.objects.select_for_update().get(pk=recheck_id, learner_id=learner_id)


def recheck_answer_save(
    *, recheck_id: int, learner_id: int, position: int, choice_ids: list[int], now: datetime
) -> None:
    """Save (or replace) the answer to one question the moment it is given. Refuses, changing
    nothing, an answer to a re-check not open, to a question not in it, with a choice of another
    question or two choices on a single-choice question."""
    with transaction.atomic():
        recheck = _locked(recheck_id, learner_id)
        if not recheck.is_open:
            raise RecheckRefused("This re-check is not open for answers.")
        asked = recheck.answers.select_related("question").filter(position=position).first()
        if asked is None:
            raise RecheckRefused("That question is not part of this re-check.")
        chosen = set(choice_ids)
        if not chosen:
            raise RecheckRefused("Pick an answer first.")
        pick_record(asked, chosen, now=now, refused=RecheckRefused)


@dataclass(frozen=True)
class Outcome:
    passed: bool
    right: int
    asked: int
    reopened: RoadmapStep | None
    next_due_at: datetime | None


def recheck_submit(*, recheck_id: int, learner_id: int, now: datetime) -> Outcome:
    """Decide the re-check (unanswered questions count as wrong), refresh the standing with its
    answers, and reopen the step (failed) or schedule the next interval (passed)."""
    with transaction.atomic():
        recheck = _locked(recheck_id, learner_id)
        if not recheck.is_open:
            raise RecheckRefused("This re-check is already submitted; nothing changed.")
        answers = list(recheck.answers.values_list("correct", flat=True))
        right = sum(1 for correct in answers if correct)
        passed = recheck_passed(right=right, asked=len(answers))
        recheck.state = Recheck.State.PASSED if passed else Recheck.State.FAILED
        recheck.finished_at, recheck.right, recheck.asked = now, right, len(answers)
        recheck.save(update_fields=["state", "finished_at", "right", "asked"])
        reopened, next_due = None, None
        if passed:
            days = next_interval(recheck.interval_days)
            _insert([Recheck(learner_id=learner_id, competency_id=recheck.competency_id, step_id=recheck.step_id,
                             proficiency=recheck.proficiency, **_timing(days, now))])  # fmt: skip
            next_due = now + timedelta(days=days)
        # Locks in the order the recompute and a step's own change take them (the standing, then the
        # roadmap, then its step), so a submit at the same moment as either waits instead of deadlocking.
        standing_refresh(learner_id=learner_id, now=now)
        Roadmap.objects.select_for_update().filter(learner_id=learner_id).first()
        if not passed:
            reopened = _reopen(recheck, right=right, asked=len(answers), now=now)
        Roadmap.objects.filter(learner_id=learner_id).revise()  # the step no longer shows "re-check due"
        roadmap_request(learner_id=learner_id, reason=f"re-check {recheck.state}", now=now)
    return Outcome(passed=passed, right=right, asked=len(answers), reopened=reopened, next_due_at=next_due)


def _reopen(recheck: Recheck, *, right: int, asked: int, now: datetime) -> RoadmapStep | None:
    step = RoadmapStep.objects.select_for_update().filter(pk=recheck.step_id, status=RoadmapStep.Status.DONE).first()
    if step is None:  # moved by the learner, or gone with a recompute: the recompute plans anew
        return None
    why = f"Re-check on {now:%d %b %Y}: {right} of {asked} right, so this step is open again."
    step.reopen(why=why, now=now)
    return step
