"""Everything the app holds about a learner, for them to download (profile page, "Your data").

One rule, two formats: ``learner_export`` reads the learner's records into tables (one per kind of
record, with fixed columns) in a fixed number of queries, whatever their number; ``export_json``
writes them as one JSON document and ``export_csv_zip`` as a zip with one CSV per kind (a kind
with no rows is a CSV with its header only). Built in memory: a learner's records are small (the
demo learner of ``manage.py seed_demo``: 85 KB of JSON, a 14 KB zip; the bench learner, 13 quizzes
and 104 ratings: 441 KB and 73 KB, about 0.2 s).

What is in it, and what is not, is listed per relation to the user in ``EXPORTED`` and
``NOT_EXPORTED``: a test walks every model related to the user and fails on one listed in neither.
Only the learner's own records: threads are the learner's (with their mentors' comments in them),
never what the user wrote as a mentor about other learners. Not related by key, so not walked:
django-axes' log-in records (by username; security records, deleted with the account).

Correctness stays hidden while an attempt or placement test is open, as on the quiz pages.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch
from django.urls import reverse

from careerpath.models import ApiToken
from roadmap.models import Comment, Notification, Recheck, RecheckAnswer, Roadmap, RoadmapRequest, RoadmapStep
from roadmap.rechecks import rechecks_asking

from .content import content_load
from .models import (
    Attempt,
    Choice,
    CompetencyEstimate,
    LearnerActivity,
    LearnerProfile,
    LearnerStanding,
    MentorRating,
    Mentorship,
    PlacementAnswer,
    PlacementTest,
    ProfileCard,
    Resource,
    Response,
    SelfRating,
)
from .scoring import is_answer_correct

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

    from .content import Content

# Each relation to the user (or to a record of theirs), "app.Model.field", and the kind it is exported as.
EXPORTED: dict[str, str] = {
    "auth.User_groups.user": "account",
    "assessments.LearnerProfile.user": "profile",
    "assessments.SelfRating.learner": "self_ratings",
    "assessments.Attempt.learner": "attempts",
    "assessments.Response.attempt": "attempt_answers",
    "assessments.Response_choices.response": "attempt_answers",
    "assessments.PlacementTest.learner": "placement_tests",
    "assessments.PlacementAnswer.test": "placement_answers",
    "assessments.PlacementAnswer_choices.placementanswer": "placement_answers",
    "assessments.LearnerStanding.learner": "level_probabilities",
    "assessments.CompetencyEstimate.learner": "competency_estimates",
    "assessments.CompetencyEstimate.mentor_rating": "competency_estimates",
    "roadmap.Roadmap.learner": "roadmap",
    "roadmap.RoadmapStep.roadmap": "roadmap_steps",
    "roadmap.RoadmapRequest.learner": "roadmap_requests",
    "roadmap.Recheck.learner": "rechecks",
    "roadmap.Recheck.step": "rechecks",
    "roadmap.RecheckAnswer.recheck": "recheck_answers",
    "roadmap.RecheckAnswer_choices.recheckanswer": "recheck_answers",
    "assessments.MentorRating.learner": "mentor_ratings",
    "roadmap.Comment.learner": "comments",
    "roadmap.Notification.recipient": "notifications",
    "assessments.Mentorship.learner": "mentorships",
    "assessments.ProfileCard.learner": "profile_card",
    "assessments.LearnerActivity.learner": "activity",
    "careerpath.ApiToken.user": "api_tokens",
}
# Each relation left out, and why.
NOT_EXPORTED: dict[str, str] = {
    "careerpath.UserSession.user": "sign-in sessions: their keys are credentials, not records about the learner",
    "auth.User_user_permissions.user": "permissions an admin grants staff; learners have none",
    "admin.LogEntry.user": "changes a staff member made in the admin; learners make none",
    "roadmap.Comment.author": "the learner's comments are in their threads (comments); others are on other learners' threads",
    "assessments.MentorRating.mentor": "ratings given as a mentor are about other learners",
    "assessments.Mentorship.mentor": "whom the user mentors: other learners",
    "assessments.MentorInvite.mentor": "a mentor's invite codes and the learners who accepted them",
    "assessments.MentorInvite.accepted_by": "the mentor's invite; the mentorship it started is in mentorships",
}

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell starting so as a formula


@dataclass(frozen=True)
class Table:
    kind: str
    columns: tuple[str, ...]
    rows: list[tuple]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class LearnerExport:
    username: str
    exported_at: datetime
    tables: list[Table]


ABOUT = (
    "Everything CareerPath holds about you, one kind of record per table. Times are UTC (ISO 8601). "
    "Whether an answer is right is empty while its quiz or placement test is open, or a re-check asking "
    "the same question is. "
    "In the CSV files a cell holding several values is JSON, and a text starting with = + - or @ "
    "has a ' put before it, so that a spreadsheet does not run it as a formula."
)


def learner_export(*, user: AbstractUser, now: datetime) -> LearnerExport:
    """The learner's records, in 26 queries whatever their number (the held content for names)."""
    content = content_load()
    hidden = set(rechecks_asking(learner_id=user.pk))  # their right answers wait until the re-check is submitted
    tables = [
        _account(user),
        _profile(user),
        _self_ratings(user),
        *_attempts(user, hidden),
        *_placement_tests(user, hidden),
        *_rechecks(user),
        *_standing(user, content),
        *_roadmap(user),
        _mentor_ratings(user),
        _comments(user),
        _notifications(user),
        _mentorships(user),
        _profile_card(user),
        _activity(user),
        _api_tokens(user),
    ]
    return LearnerExport(username=user.get_username(), exported_at=now, tables=tables)


def _table(kind: str, columns: str, rows: Iterable[tuple]) -> Table:
    return Table(kind=kind, columns=tuple(columns.split()), rows=list(rows))


def _fields(names: str) -> Callable[[Any], tuple]:
    """Reads the fields ``names`` (two or more) of a row as a tuple: columns named as the fields."""
    return attrgetter(*names.split())


def _account(user) -> Table:
    groups = sorted(user.groups.values_list("name", flat=True))
    row = (user.get_username(), user.email, user.first_name, user.last_name, user.date_joined, user.last_login, groups)
    return _table("account", "username email first_name last_name date_joined last_login groups", [row])


def _profile(user) -> Table:
    profiles = LearnerProfile.objects.filter(user=user).select_related("current_level", "target_level")
    own = "current_role years_experience roadmap_emails weekly_hours time_zone"
    rows = (
        (*_fields(own)(p), _name(p.current_level), _name(p.target_level), p.get_stack_display() if p.stack else "")
        for p in profiles
    )
    return _table("profile", f"{own} current_level target_level stack", rows)


def _self_ratings(user) -> Table:
    ratings = SelfRating.objects.filter(learner=user).select_related("competency__area").order_by("rated_at", "id")
    rows = (
        (r.competency.name, r.competency.area.name, r.proficiency, r.get_proficiency_display(), r.rated_at)
        for r in ratings
    )
    return _table("self_ratings", "competency area proficiency proficiency_name rated_at", rows)


def _chosen_prefetch() -> Prefetch:
    return Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))


def _question(answer) -> tuple[str, str, list[str]]:
    """An answer's question, its competency and the texts of the choices picked."""
    return answer.question.text, answer.question.competency.name, [c.text for c in answer.choices.all()]


def _attempts(user, hidden: set[int]) -> list[Table]:
    attempts = list(Attempt.objects.filter(learner=user).select_related("quiz").order_by("started_at", "id"))
    responses = (
        Response.objects.filter(attempt__learner=user)
        .select_related("question__competency")
        .prefetch_related(
            _chosen_prefetch(),
            Prefetch("question__choices", queryset=Choice.objects.filter(is_correct=True), to_attr="keys"),
        )
        .order_by("attempt_id", "question__order", "question_id")
    )
    by_id = {a.pk: a for a in attempts}

    def right(response) -> bool | None:
        """As the attempt's review says, and only once it is submitted (as on the quiz pages)."""
        if by_id[response.attempt_id].is_open or response.question_id in hidden:
            return None
        chosen = frozenset(c.pk for c in response.choices.all())
        return is_answer_correct(chosen=chosen, correct=frozenset(c.pk for c in response.question.keys))

    own = "state started_at deadline submitted_at auto_submitted score"
    answers = (
        (r.attempt_id, by_id[r.attempt_id].quiz.title, *_question(r), right(r), r.answered_at) for r in responses
    )
    return [
        _table("attempts", f"attempt_id quiz {own}", ((a.pk, a.quiz.title, *_fields(own)(a)) for a in attempts)),
        _table("attempt_answers", "attempt_id quiz question competency chosen right answered_at", answers),
    ]


def _placement_tests(user, hidden: set[int]) -> list[Table]:
    tests = list(PlacementTest.objects.filter(learner=user).order_by("started_at", "id"))
    answers = (
        PlacementAnswer.objects.filter(test__learner=user)
        .select_related("question__competency")
        .prefetch_related(_chosen_prefetch())
        .order_by("test_id", "position")
    )
    is_open = {t.pk: t.is_open for t in tests}
    own, asked = "state started_at deadline finished_at result", "dont_know asked_at answered_at"
    rows = (
        # Right or not as stored when answered, once the test is over.
        (
            a.test_id,
            a.position,
            *_question(a),
            None if is_open[a.test_id] or a.question_id in hidden else a.correct,
            *_fields(asked)(a),
        )
        for a in answers
    )
    return [
        _table("placement_tests", f"placement_test_id {own}", ((t.pk, *_fields(own)(t)) for t in tests)),
        _table("placement_answers", f"placement_test_id position question competency chosen right {asked}", rows),
    ]


def _rechecks(user) -> list[Table]:
    rechecks = list(Recheck.objects.filter(learner=user).select_related("competency").order_by("scheduled_at", "id"))
    answers = (
        RecheckAnswer.objects.filter(recheck__learner=user)
        .select_related("question__competency")
        .prefetch_related(_chosen_prefetch())
        .order_by("recheck_id", "position")
    )
    decided = {r.pk: r.state in (Recheck.State.PASSED, Recheck.State.FAILED) for r in rechecks}
    own = "proficiency interval_days state scheduled_at due_at reminded_at finished_at right asked"
    rows = (
        # Right or not only once the re-check is decided (as on its page).
        (a.recheck_id, a.position, *_question(a), a.correct if decided[a.recheck_id] else None, a.answered_at)
        for a in answers
    )
    return [
        _table(
            "rechecks",
            f"recheck_id competency step_id {own}",
            ((r.pk, r.competency.name, r.step_id, *_fields(own)(r)) for r in rechecks),
        ),
        _table("recheck_answers", "recheck_id position question competency chosen right answered_at", rows),
    ]


def _standing(user, content: Content) -> list[Table]:
    standing = LearnerStanding.objects.filter(learner=user).first()
    levels = [level.name for level in content.levels]
    areas = {str(area.pk): area.name for area in content.areas}
    rows: list[tuple] = []
    if standing is not None:
        scopes = [("overall", standing.level_probabilities)]
        scopes += [(areas.get(key, f"area {key}"), p) for key, p in standing.area_level_probabilities.items()]
        for scope, probabilities in scopes:
            rows += [(scope, level, p, standing.computed_at) for level, p in zip(levels, probabilities, strict=False)]
    estimates = (
        CompetencyEstimate.objects.filter(learner=user)
        .select_related("competency__area", "mentor_rating")
        .order_by("competency__area__order", "competency__order", "competency_id")
    )
    own = "proficiency spread answers quiz_proficiency quiz_spread sources self_rating self_rated_at"
    estimate_rows = (
        (
            e.competency.name,
            e.competency.area.name,
            *_fields(own)(e),
            e.mentor_rating.proficiency if e.mentor_rating else None,
        )
        for e in estimates
    )
    return [
        _table("level_probabilities", "scope level probability computed_at", rows),
        _table("competency_estimates", f"competency area {own} mentor_rating", estimate_rows),
    ]


def _roadmap(user) -> list[Table]:
    roadmap = Roadmap.objects.filter(learner=user).select_related("target_level", "measured_level").first()
    steps = list(
        RoadmapStep.objects.filter(roadmap__learner=user)
        .select_related("competency", "milestone")
        .order_by("position", "id")
    )
    resource_ids = {pk for step in steps for pk in step.resource_ids if isinstance(pk, int)}
    resources = {
        pk: {"title": t, "url": u}
        for pk, t, u in Resource.objects.filter(pk__in=resource_ids).values_list("pk", "title", "url")
    }
    own = "status computed_at steps_total steps_finished hours_left last_moved_at overconfident underconfident"
    roadmap_rows = [
        (_name(r.target_level), _name(r.measured_level), *_fields(own)(r)) for r in ([roadmap] if roadmap else [])
    ]
    step_own = (
        "position from_proficiency to_proficiency hours hours_low hours_high why status_changed_at note note_shared"
        " added_at"
    )
    step_rows = (
        (
            s.pk,
            s.milestone.name,
            s.competency.name,
            s.get_kind_display(),
            s.get_status_display(),
            [resources[pk] for pk in s.resource_ids if pk in resources],
            *_fields(step_own)(s),
        )
        for s in steps
    )
    links = (
        (s.pk, s.competency.name, s.milestone.name, link.get("url", ""), link.get("title", ""))
        for s in steps
        for link in s.links
    )
    requests = RoadmapRequest.objects.filter(learner=user).order_by("requested_at", "id")
    return [
        _table("roadmap", f"target_level measured_level {own}", roadmap_rows),
        _table("roadmap_steps", f"step_id milestone competency kind status resources {step_own}", step_rows),
        _table("roadmap_links", "step_id competency milestone url title", links),
        _table(
            "roadmap_requests",
            "reason requested_at done_at",
            requests.values_list("reason", "requested_at", "done_at"),
        ),
    ]


def _mentor_ratings(user) -> Table:
    ratings = (
        MentorRating.objects.filter(learner=user).select_related("mentor", "competency").order_by("rated_at", "id")
    )
    rows = (
        (r.competency.name, r.proficiency, r.note, r.evidence_url, r.mentor.get_username(), r.rated_at) for r in ratings
    )
    return _table("mentor_ratings", "competency proficiency note evidence_url mentor rated_at", rows)


def _comments(user) -> Table:
    comments = Comment.objects.filter(learner=user).select_related("author", "competency").order_by("created_at", "id")
    rows = ((c.competency.name, c.author.get_username(), c.body, c.created_at) for c in comments)
    return _table("comments", "thread author body created_at", rows)


def _notifications(user) -> Table:
    notifications = Notification.objects.filter(recipient=user).order_by("created_at", "id")
    rows = notifications.values_list("message", "url", "created_at", "read_at", "emailed_at")
    return _table("notifications", "message url created_at read_at emailed_at", rows)


def _mentorships(user) -> Table:
    mentorships = Mentorship.objects.filter(learner=user).select_related("mentor").order_by("started_at", "id")
    rows = ((m.mentor.get_username(), m.active, m.started_at, m.ended_at) for m in mentorships)
    return _table("mentorships", "mentor active started_at ended_at", rows)


def _profile_card(user) -> Table:
    """The card's link only while shared: a private card's code opens nothing today, but would again
    on sharing, so a kept or forwarded export file must not carry it."""
    cards = ProfileCard.objects.filter(learner=user)
    rows = ((c.shared, reverse("profile_card", args=[c.code]) if c.shared else "", c.changed_at) for c in cards)
    return _table("profile_card", "shared link changed_at", rows)


def _activity(user) -> Table:
    rows = LearnerActivity.objects.filter(learner=user).values_list("last_active_at")
    return _table("activity", "last_active_at", rows)


def _api_tokens(user) -> Table:
    """What each token is and when it was used; never its secret (only a hash is kept anyway)."""
    own = "name scope prefix created_at last_used_at expires_at revoked_at"
    tokens = ApiToken.objects.filter(user=user).order_by("created_at", "id")
    return _table("api_tokens", own, (_fields(own)(t) for t in tokens))


def _name(obj) -> str:
    return str(obj) if obj is not None else ""


# --- Writing it out ---------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as JSON holds it: times as ISO 8601 text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def export_json(export: LearnerExport) -> bytes:
    document = {
        "username": export.username,
        "exported_at": export.exported_at.isoformat(),
        "about": ABOUT,
        "records": {table.kind: [_plain(record) for record in table.records()] for table in export.tables},
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(_plain(value), ensure_ascii=False)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


def export_csv_zip(export: LearnerExport) -> bytes:
    """A zip of one CSV per kind (UTF-8, header row first) and an about.txt."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "about.txt", f"{ABOUT}\n\nUser: {export.username}\nExported at: {export.exported_at.isoformat()}\n"
        )
        for table in export.tables:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(table.columns)
            writer.writerows([_cell(value) for value in row] for row in table.rows)
            archive.writestr(f"{table.kind}.csv", text.getvalue())
    return buffer.getvalue()


def export_filename(export: LearnerExport, *, day: date, extension: str) -> str:
    return f"careerpath-{export.username}-{day.isoformat()}.{extension}"
