"""A learner downloads everything the app holds about them, as JSON or as a zip of CSVs, and nothing
of anyone else (assessments/export.py)."""

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.export import EXPORTED, NOT_EXPORTED
from assessments.models import Attempt, Response, SelfRating
from assessments.profile_card import card_share
from roadmap.models import Comment, Notification, Recheck, RecheckAnswer
from tests.factories import CompetencyFactory, UserFactory, right_choice
from tests.relations import relations_to_user

pytestmark = pytest.mark.django_db


def _json(client) -> dict:
    response = client.get(reverse("export_json"))
    assert response.status_code == 200
    return json.loads(response.content)


def _csvs(client) -> dict[str, list[dict]]:
    response = client.get(reverse("export_csv"))
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {
            name.removesuffix(".csv"): list(csv.DictReader(io.StringIO(archive.read(name).decode())))
            for name in archive.namelist()
            if name.endswith(".csv")
        }


def test_the_json_holds_every_kind_of_record_about_the_learner(client, learner_history):
    client.force_login(learner_history["learner"])
    records = _json(client)["records"]
    assert records["account"][0]["username"] == "ada"
    profile = records["profile"][0]
    assert (profile["time_zone"], profile["target_level"], profile["stack"], profile["weekly_hours"]) == (
        "Europe/Berlin",
        "Senior",
        "Python",
        7,
    )
    assert [r["proficiency"] for r in records["self_ratings"] if r["competency"] == "SQL querying"] == [1, 2]
    (attempt,) = records["attempts"]
    assert attempt["state"] == "submitted" and attempt["score"] == 0.5
    answers = records["attempt_answers"]
    assert [(a["question"], a["chosen"], a["right"]) for a in answers] == [
        ("SQL question 1?", ["Right 0"], True),
        ("SQL question 2?", ["Wrong 0"], False),
    ]
    assert records["placement_tests"][0]["state"] == "finished" and records["placement_tests"][0]["result"]
    assert {a["right"] for a in records["placement_answers"]} == {True}
    assert {r["scope"] for r in records["level_probabilities"]} >= {"overall"}
    assert {e["competency"] for e in records["competency_estimates"]} == {"SQL querying", "Query tuning"}
    assert records["roadmap"][0]["target_level"] == "Senior"
    (noted,) = [s for s in records["roadmap_steps"] if s["note"]]
    assert (noted["note"], noted["note_shared"], noted["status"]) == ("Reading the planner chapter", True, "To do")
    assert records["roadmap_links"] == [
        {
            "step_id": noted["step_id"],
            "competency": noted["competency"],
            "milestone": noted["milestone"],
            "url": "https://notes.example.com/ada-sql",
            "title": "My SQL notes",
        }
    ]
    (rating,) = records["mentor_ratings"]
    assert (rating["mentor"], rating["note"], rating["evidence_url"]) == (
        "mia",
        "Reviewed the reporting queries PR",
        "https://git.example.com/ada/pr/42",
    )
    assert [(c["author"], c["body"]) for c in records["comments"]] == [
        ("ada", "Which index comes first?"),
        ("mia", "Start with the slow query log."),
    ]
    assert any("mia rated your SQL querying" in n["message"] for n in records["notifications"])
    assert records["mentorships"] == [
        {"mentor": "mia", "active": True, "started_at": records["mentorships"][0]["started_at"], "ended_at": None}
    ]
    assert records["profile_card"][0]["shared"] is True
    assert records["activity"][0]["last_active_at"]
    assert records["roadmap_requests"]


def test_every_kind_has_a_csv_that_parses_with_the_same_rows_as_the_json(client, learner_history):
    client.force_login(learner_history["learner"])
    records, tables = _json(client)["records"], _csvs(client)
    assert set(tables) == set(records)
    for kind, rows in records.items():
        assert len(tables[kind]) == len(rows), kind
        if rows:
            assert list(tables[kind][0]) == list(rows[0]), kind
    assert json.loads(tables["attempt_answers"][0]["chosen"]) == ["Right 0"]
    assert tables["roadmap_links"][0]["url"] == "https://notes.example.com/ada-sql"


def test_nothing_of_another_learner_is_in_the_json_or_any_csv(client, learner_history):
    client.force_login(learner_history["learner"])
    json_text = client.get(reverse("export_json")).content.decode()
    zipped = zipfile.ZipFile(io.BytesIO(client.get(reverse("export_csv")).content))
    texts = {name: zipped.read(name).decode() for name in zipped.namelist()}
    for text in (json_text, *texts.values()):
        assert "ZSECRET" not in text and "zoltan" not in text
    assert "ada" in json_text and "Reviewed the reporting queries PR" in texts["mentor_ratings.csv"]


def test_what_the_user_wrote_as_a_mentor_is_not_in_their_export(client, learner_history):
    """Mia's ratings and comments are about her mentees: her own export has none of them."""
    client.force_login(learner_history["mentor"])
    text = client.get(reverse("export_json")).content.decode()
    assert "ZSECRET" not in text and "Reviewed the reporting" not in text and "slow query log" not in text
    assert json.loads(text)["records"]["account"][0]["groups"] == ["Mentors"]


def test_correctness_stays_out_while_an_attempt_is_open(client, roadmap_world):
    learner, quiz = roadmap_world["learner"], roadmap_world["quiz"]
    attempt = Attempt.objects.create(learner=learner, quiz=quiz, started_at=timezone.now())
    question = quiz.questions.first()
    Response.objects.create(attempt=attempt, question=question, answered_at=timezone.now()).choices.set(
        [right_choice(question)]
    )
    client.force_login(learner)
    (answer,) = _json(client)["records"]["attempt_answers"]
    assert answer["chosen"] == ["Right 0"] and answer["right"] is None


def test_the_card_link_is_in_the_export_only_while_shared(client, learner_history):
    learner = learner_history["learner"]
    client.force_login(learner)
    shared = _json(client)["records"]["profile_card"][0]
    assert shared["link"] == reverse("profile_card", args=[learner.card.code])
    card_share(learner_id=learner.pk, shared=False, now=timezone.now())
    private = _json(client)["records"]["profile_card"][0]
    assert private["link"] == "" and learner.card.code not in client.get(reverse("export_json")).content.decode()


def test_a_csv_cell_a_spreadsheet_would_run_as_a_formula_is_quoted(client, learner_history):
    learner = learner_history["learner"]
    Comment.objects.create(
        learner=learner,
        competency=learner_history["sql"],
        author=learner_history["mentor"],
        body='=HYPERLINK("https://evil.example.com")',
        created_at=timezone.now(),
    )
    client.force_login(learner)
    bodies = [row["body"] for row in _csvs(client)["comments"]]
    assert '\'=HYPERLINK("https://evil.example.com")' in bodies
    assert '=HYPERLINK("https://evil.example.com")' in [c["body"] for c in _json(client)["records"]["comments"]]


def test_downloads_are_attachments_named_with_the_day_and_never_stored(client, learner_history):
    client.force_login(learner_history["learner"])
    day = timezone.localdate().isoformat()
    for name, extension, content_type in (
        ("export_json", "json", "application/json"),
        ("export_csv", "zip", "application/zip"),
    ):
        response = client.get(reverse(name))
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"] == f'attachment; filename="careerpath-ada-{day}.{extension}"'
        assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("name", ["export_json", "export_csv"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["export_json", "export_csv"])
def test_a_post_is_refused(client, learner, name):
    assert client.post(reverse(name)).status_code == 405


def test_the_profile_page_links_both_downloads_and_the_deletion(client, learner_history):
    client.force_login(learner_history["learner"])
    page = client.get(reverse("profile")).content.decode()
    for name in ("export_json", "export_csv", "account_delete"):
        assert f'href="{reverse(name)}"' in page


def _grow(world: dict, size: int) -> None:
    """``size`` more of each kind of record that can be many."""
    learner, quiz, mentor, now = world["learner"], world["quiz"], world["mentor"], timezone.now()
    for n in range(size):
        competency = CompetencyFactory(area=quiz.area)
        SelfRating.objects.create(learner=learner, competency=competency, proficiency=n % 5, rated_at=now)
        attempt = Attempt.objects.create(
            learner=learner, quiz=quiz, started_at=now - timedelta(minutes=n + 1), state="submitted", submitted_at=now
        )
        for question in quiz.questions.all():
            Response.objects.create(attempt=attempt, question=question, answered_at=now).choices.set(
                [right_choice(question)]
            )
        Comment.objects.create(learner=learner, competency=competency, author=mentor, body="Hi", created_at=now)
        Notification.objects.create(recipient=learner, message="Hello", created_at=now)
        recheck = Recheck.objects.create(
            learner=learner, competency=competency, proficiency=2, interval_days=30, state="passed",
            scheduled_at=now - timedelta(days=30), due_at=now, finished_at=now, right=1, asked=1,
        )  # fmt: skip
        question = quiz.questions.first()
        RecheckAnswer.objects.create(recheck=recheck, position=1, question=question, correct=True, answered_at=now)


def _export_queries(client, name: str) -> int:
    client.get(reverse(name))  # the content is read once per process, as production holds it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


def test_the_export_runs_the_same_queries_whatever_the_amount_of_data(client, learner_history):
    client.force_login(learner_history["learner"])
    small = {name: _export_queries(client, name) for name in ("export_json", "export_csv")}
    _grow(learner_history, 20)
    large = {name: _export_queries(client, name) for name in ("export_json", "export_csv")}
    print(f"export queries: {small}")
    assert small == large
    assert max(small.values()) <= 28  # the session, and a query or two per kind of record


def test_every_relation_to_the_user_is_exported_or_left_out_with_a_reason():
    """A new model keyed to the user (or to a record of theirs) must be added to one of the lists."""
    relations = set(relations_to_user())
    assert not EXPORTED.keys() & NOT_EXPORTED.keys()
    assert relations == EXPORTED.keys() | NOT_EXPORTED.keys(), {
        "missing": relations - EXPORTED.keys() - NOT_EXPORTED.keys(),
        "gone": (EXPORTED.keys() | NOT_EXPORTED.keys()) - relations,
    }
    assert all(reason.strip() for reason in NOT_EXPORTED.values())


def test_every_exported_kind_is_in_the_export(client, learner_history):
    client.force_login(learner_history["learner"])
    records = _json(client)["records"]
    assert set(EXPORTED.values()) <= set(records)
    assert all(records[kind] for kind in EXPORTED.values()), [kind for kind in EXPORTED.values() if not records[kind]]


def test_a_learner_with_nothing_yet_gets_every_kind_with_no_rows(client):
    client.force_login(UserFactory(username="newbie"))
    tables = _csvs(client)
    assert tables["account"][0]["username"] == "newbie"
    assert tables["roadmap_steps"] == [] and tables["attempts"] == []
