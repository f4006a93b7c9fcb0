"""The shipped content, its validation rules, and import/export."""

import copy
import io
import re
import zipfile
from datetime import timedelta
from html import unescape
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from assessments.content_files import DEFAULT_CONTENT_DIR, bundle_read, bundle_write
from assessments.content_sync import content_export, content_import
from assessments.content_validation import content_counts, content_problems
from assessments.models import (
    Attempt,
    Choice,
    Competency,
    CompetencyArea,
    Expectation,
    Level,
    Question,
    Quiz,
    Resource,
    Response,
    SelfRating,
)
from careerpath.markdown import render_markdown, render_markdown_inline
from tests.factories import AdminFactory, UserFactory

LEVELS = ["junior", "backend-developer", "senior", "lead", "architecture-manager"]


def _question(slug: str, text: str, kind: str = "single", correct=(0,), difficulty: int = 4) -> dict:
    return {
        "slug": slug,
        "kind": kind,
        "difficulty": difficulty,
        "text": text,
        "explanation": "Per the official documentation.",
        "choices": [{"text": f"Option {i}", "correct": i in correct} for i in range(4)],
    }


def _competency(slug: str, prerequisites=()) -> dict:
    return {
        "slug": slug,
        "name": slug.replace("-", " ").title(),
        "description": "A competency.",
        "prerequisites": list(prerequisites),
        "expectations": {
            level: {"proficiency": min(i, 4), "description": f"Does {slug} at {level}."}
            for i, level in enumerate(LEVELS)
        },
        "resources": [  # one aimed at every proficiency the expectations name
            {
                "title": f"{slug} docs, part {proficiency}",
                "url": f"https://docs.example.com/{slug}/{proficiency}",
                "kind": "documentation",
                "hours": 3,
                "proficiency": proficiency,
            }
            for proficiency in range(1, 5)
        ],
        "questions": [
            _question(f"{slug}-q1", f"What is {slug}?"),
            _question(f"{slug}-q2", f"Why {slug}?", "multiple", (0, 2)),
        ],
    }


def small_bundle() -> dict:
    return {
        "levels": [
            {
                "slug": s,
                "name": s.title(),
                "years_min": i * 2,
                "years_max": None,
                "summary": "",
                "responsibilities": ["Work"],
            }
            for i, s in enumerate(LEVELS)
        ],
        "areas": [
            {
                "slug": "databases",
                "name": "Databases",
                "order": 1,
                "description": "Data.",
                "quiz": {
                    "slug": "databases-quiz",
                    "title": "Databases",
                    "description": "",
                    "time_limit_minutes": 30,
                    "retake_after_days": 7,
                },
                "competencies": [_competency("sql"), _competency("indexing", ["sql"])],
            }
        ],
    }


def _competency_in(bundle: dict, slug: str) -> dict:
    return next(c for a in bundle["areas"] for c in a["competencies"] if c["slug"] == slug)


# --- the shipped content -----------------------------------------------------------------


def test_the_shipped_content_validates_and_meets_the_numbers():
    bundle = bundle_read(DEFAULT_CONTENT_DIR)
    assert content_problems(bundle) == []
    counts = content_counts(bundle)
    assert counts["levels"] == 5
    assert counts["areas"] >= 12
    assert counts["competencies"] >= 45
    assert counts["cells"] == counts["competencies"] * 5
    assert counts["questions"] >= 300
    assert counts["questions per competency (min)"] >= 6
    assert counts["resources per competency (min)"] >= 2


def test_the_shipped_answers_cannot_be_guessed_by_length():
    """With four choices chance makes the key the longest about 1 time in 4; far more is a cue."""
    assert content_counts(bundle_read(DEFAULT_CONTENT_DIR))["single-choice keys longest choice (%)"] <= 35


def test_the_shipped_ladder_follows_the_career_guide():
    levels = bundle_read(DEFAULT_CONTENT_DIR)["levels"]
    assert [(lv["slug"], lv["years_min"]) for lv in levels] == [
        ("junior", 0),
        ("backend-developer", 2),
        ("senior", 5),
        ("lead", 8),
        ("architecture-manager", 10),
    ]
    assert all(lv["summary"] and len(lv["responsibilities"]) >= 3 for lv in levels)


def test_every_shipped_competency_has_a_multiple_choice_and_a_hard_question():
    for area in bundle_read(DEFAULT_CONTENT_DIR)["areas"]:
        for competency in area["competencies"]:
            kinds = {q["kind"] for q in competency["questions"]}
            assert kinds == {"single", "multiple"}, competency["slug"]
            assert max(q["difficulty"] for q in competency["questions"]) >= 4, competency["slug"]


def _shipped_texts():
    """Every text of the shipped content shown as Markdown, with the variant its page renders it with."""
    bundle = bundle_read(DEFAULT_CONTENT_DIR)
    for level in bundle["levels"]:
        yield level["summary"], render_markdown
    for area in bundle["areas"]:
        yield area["description"], render_markdown
        yield area["quiz"]["description"], render_markdown_inline
        for competency in area["competencies"]:
            yield competency["description"], render_markdown
            yield from ((cell["description"], render_markdown) for cell in competency["expectations"].values())
            for question in competency["questions"]:
                yield question["text"], render_markdown
                yield question["explanation"], render_markdown
                yield from ((choice["text"], render_markdown_inline) for choice in question["choices"])


def test_the_shipped_texts_render_as_written():
    """Markdown marks only the code spans: no word of the bank turns into emphasis (`__hash__` did)."""
    texts = list(_shipped_texts())
    assert len(texts) > 3000
    for text, render in texts:
        html = render(text)
        assert set(re.findall(r"<(\w+)", html)) <= {"p", "code"}, text
        assert unescape(re.sub(r"<[^>]+>", "", html)) == text.replace("`", "").strip(), text


def test_the_shipped_files_are_in_export_format(tmp_path, db):
    """The files are what export writes, so an admin's export diffs cleanly against them."""
    content_import(bundle_read(DEFAULT_CONTENT_DIR))
    bundle_write(content_export(), tmp_path)
    for shipped in [DEFAULT_CONTENT_DIR / "levels.yaml", *sorted((DEFAULT_CONTENT_DIR / "areas").glob("*.yaml"))]:
        exported = tmp_path / shipped.relative_to(DEFAULT_CONTENT_DIR)
        assert exported.read_text() == shipped.read_text(), shipped.name


# --- validation rules, each rejecting a broken example ----------------------------------


def test_a_small_valid_bundle_has_no_problems():
    assert content_problems(small_bundle()) == []


def _problems_after(change) -> list[str]:
    bundle = copy.deepcopy(small_bundle())
    change(bundle)
    return content_problems(bundle)


def test_it_rejects_a_prerequisite_cycle():
    problems = _problems_after(lambda b: _competency_in(b, "sql")["prerequisites"].append("indexing"))
    assert any("prerequisite cycle" in p and "sql" in p and "indexing" in p for p in problems)


def test_it_rejects_an_unknown_prerequisite():
    problems = _problems_after(lambda b: _competency_in(b, "sql")["prerequisites"].append("cobol"))
    assert "competency sql: unknown prerequisite cobol" in problems


def test_it_rejects_a_missing_matrix_cell():
    problems = _problems_after(lambda b: _competency_in(b, "sql")["expectations"].pop("lead"))
    assert "competency sql: missing matrix cell for level lead" in problems


def test_it_rejects_a_decreasing_expectation():
    problems = _problems_after(lambda b: _competency_in(b, "sql")["expectations"]["lead"].update(proficiency=1))
    assert "competency sql: expectation decreases from 2 at senior to 1 at lead" in problems


def test_it_rejects_a_question_with_no_correct_choice():
    def change(b):
        for choice in _competency_in(b, "sql")["questions"][0]["choices"]:
            choice["correct"] = False

    assert "question sql-q1: no correct choice" in _problems_after(change)


def test_it_rejects_a_single_choice_question_with_two_correct_choices():
    problems = _problems_after(lambda b: _competency_in(b, "sql")["questions"][0]["choices"][1].update(correct=True))
    assert "question sql-q1: single-choice question has 2 correct choices (exactly one allowed)" in problems


@pytest.mark.parametrize("text", ["All of the above", "None of the options above", "none of these"])
def test_it_rejects_a_choice_that_refers_to_the_others(text):
    problems = _problems_after(lambda b: _competency_in(b, "sql")["questions"][0]["choices"][1].update(text=text))
    assert (
        f"question sql-q1: choice {text!r} refers to the other choices, "
        "but choices are shown in a shuffled order; make each choice stand alone"
    ) in problems


def test_the_length_cue_counts_only_single_choice_keys_longer_than_every_distractor():
    bundle = small_bundle()
    base = content_counts(bundle)["single-choice keys longest choice (%)"]
    question = _competency_in(bundle, "sql")["questions"][0]
    key = next(c for c in question["choices"] if c["correct"])
    key["text"] = "A much longer correct answer than any distractor could be"
    assert content_counts(bundle)["single-choice keys longest choice (%)"] > base


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda q: q["choices"][1].update(correct="false"), "question sql-q1 choice 2: correct must be true or false"),
        (lambda q: q["choices"][0].pop("text"), "question sql-q1 choice 1: text is missing"),
        (lambda q: q.pop("text"), "question sql-q1: text is missing"),
    ],
)
def test_it_rejects_malformed_questions_with_a_message(change, message):
    problems = _problems_after(lambda b: change(_competency_in(b, "sql")["questions"][0]))
    assert any(p.startswith(message) for p in problems), problems


def test_it_rejects_a_cell_that_is_not_a_mapping_and_missing_names():
    def change(b):
        _competency_in(b, "sql")["expectations"]["junior"] = 2
        _competency_in(b, "sql")["resources"][0].pop("title")
        _competency_in(b, "indexing").pop("name")

    problems = _problems_after(change)
    assert "competency sql at junior: the cell needs a proficiency and a description" in problems
    assert "competency sql resource: title is missing" in problems
    assert "competency indexing: name is missing" in problems


def test_it_rejects_a_duplicate_question():
    problems = _problems_after(lambda b: _competency_in(b, "indexing")["questions"][0].update(text="What is SQL?!"))
    assert "question indexing-q1: duplicate of question sql-q1" in problems


def test_it_rejects_a_competency_without_questions():
    problems = _problems_after(lambda b: _competency_in(b, "sql").update(questions=[]))
    assert "competency sql: has no questions" in problems


def test_it_rejects_a_competency_without_resources():
    problems = _problems_after(lambda b: _competency_in(b, "sql").update(resources=[]))
    assert "competency sql: has no resources" in problems


@pytest.mark.parametrize("url", ["docs.example.com/sql", "ftp://example.com/x", "https://", "not a url"])
def test_it_rejects_a_malformed_url(url):
    problems = _problems_after(lambda b: _competency_in(b, "sql")["resources"][0].update(url=url))
    assert f"competency sql: malformed resource URL {url!r}" in problems


def test_it_rejects_a_proficiency_out_of_range():
    problems = _problems_after(lambda b: _competency_in(b, "sql")["expectations"]["junior"].update(proficiency=7))
    assert "competency sql at junior: proficiency must be 0-4, not 7" in problems


def test_it_rejects_a_competency_whose_top_requirement_is_expert_without_two_hard_questions():
    bundle = small_bundle()
    _competency_in(bundle, "sql")["questions"][1]["difficulty"] = 3
    assert content_problems(bundle) == [
        "competency sql: the ladder expects an expert (4) but it has 1 question(s) of difficulty 4-5 (at least 2)"
    ]


def test_it_rejects_a_bank_whose_keys_sit_at_one_length_rank():
    bundle = small_bundle()
    questions = _competency_in(bundle, "sql")["questions"]
    for n in range(3, 25):
        question = _question(f"sql-q{n}", f"Question number {n}?")
        question["choices"][0]["text"] = "The longest option of them all"
        questions.append(question)
    assert any("of single-choice keys are the choice ranked 1 by length" in p for p in content_problems(bundle))


def test_validate_content_prints_the_key_length_ranks_and_hard_questions():
    counts = content_counts(bundle_read(DEFAULT_CONTENT_DIR))
    ranks = [v for k, v in counts.items() if k.startswith("single-choice keys at length rank")]
    assert len(ranks) >= 3 and max(ranks) <= 40
    assert counts["hard questions per competency (min)"] >= 1


def test_validate_content_command_prints_counts_and_fails_with_messages(tmp_path, capsys):
    broken = small_bundle()
    _competency_in(broken, "sql")["resources"] = []
    bundle_write(broken, tmp_path)
    with pytest.raises(CommandError, match="1 problem"):
        call_command("validate_content", path=tmp_path)
    captured = capsys.readouterr()
    assert "competencies: 2" in captured.out
    assert "problem: competency sql: has no resources" in captured.err


def test_it_rejects_a_competency_without_a_resource_for_a_proficiency_its_expectations_name():
    bundle = small_bundle()
    resources = _competency_in(bundle, "sql")["resources"]
    resources[:] = [r for r in resources if r["proficiency"] != 4]
    assert content_problems(bundle) == [
        "competency sql: no resource aims at 4, which an expectation asks for "
        "(every proficiency the matrix names needs one)"
    ]


def test_it_rejects_an_unknown_resource_stack():
    bundle = small_bundle()
    _competency_in(bundle, "sql")["resources"][0]["stack"] = "cobol"
    assert any("stack must be one of" in problem for problem in content_problems(bundle))
    _competency_in(bundle, "sql")["resources"][0]["stack"] = "go"
    assert content_problems(bundle) == []


def test_validate_content_command_reports_broken_yaml(tmp_path):
    bundle_write(small_bundle(), tmp_path)
    (tmp_path / "areas" / "01-databases.yaml").write_text("slug: [unclosed")
    with pytest.raises(CommandError, match="not valid YAML"):
        call_command("validate_content", path=tmp_path)


# --- import and export ---------------------------------------------------------------------


def _content_counts_in_db() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Level, CompetencyArea, Competency, Expectation, Resource, Quiz, Question, Choice)
    )


@pytest.mark.django_db
def test_import_is_idempotent():
    content_import(small_bundle())
    first = _content_counts_in_db()
    content_import(small_bundle())
    assert _content_counts_in_db() == first == (5, 1, 2, 10, 8, 1, 4, 16)


@pytest.mark.django_db
def test_import_sets_prerequisites_and_quiz():
    content_import(small_bundle())
    indexing = Competency.objects.get(slug="indexing")
    assert list(indexing.prerequisites.values_list("slug", flat=True)) == ["sql"]
    assert Question.objects.get(slug="indexing-q1").quiz.slug == "databases-quiz"


def _delete_all_content() -> None:
    Question.objects.all().delete()
    Quiz.objects.all().delete()
    Competency.objects.all().delete()
    CompetencyArea.objects.all().delete()
    Level.objects.all().delete()


@pytest.mark.django_db
def test_export_import_export_is_identical(tmp_path):
    content_import(small_bundle())
    bundle_write(content_export(), tmp_path / "first")
    _delete_all_content()
    call_command("import_content", path=tmp_path / "first")
    bundle_write(content_export(), tmp_path / "second")
    for first in sorted((tmp_path / "first").rglob("*.yaml")):
        second = tmp_path / "second" / first.relative_to(tmp_path / "first")
        assert second.read_text() == first.read_text()


@pytest.mark.django_db
def test_reimport_keeps_learner_answers_and_ratings():
    content_import(small_bundle())
    learner = UserFactory()
    question = Question.objects.get(slug="sql-q1")
    chosen = question.choices.get(order=0)
    attempt = Attempt.objects.create(learner=learner, quiz=question.quiz, started_at=timezone.now())
    response = Response.objects.create(attempt=attempt, question=question, answered_at=timezone.now())
    response.choices.set([chosen])
    SelfRating.objects.create(learner=learner, competency=question.competency, proficiency=2, rated_at=timezone.now())

    edited = small_bundle()
    _competency_in(edited, "sql")["questions"][0]["text"] = "What is SQL, precisely?"
    _competency_in(edited, "sql")["questions"][0]["choices"][0]["text"] = "Option zero, reworded"
    content_import(edited)

    response.refresh_from_db()
    assert list(response.choices.all()) == [chosen]
    assert response.choices.get().text == "Option zero, reworded"
    assert Question.objects.get(pk=question.pk).text == "What is SQL, precisely?"
    assert SelfRating.objects.filter(learner=learner).count() == 1
    assert Question.objects.count() == 4


def _picked_in_a_quiz(question, choice) -> None:
    attempt = Attempt.objects.create(learner=UserFactory(), quiz=question.quiz, started_at=timezone.now())
    Response.objects.create(attempt=attempt, question=question, answered_at=timezone.now()).choices.set([choice])


def _picked_in_a_placement_test(question, choice) -> None:
    from assessments.models import PlacementAnswer, PlacementTest

    now = timezone.now()
    test = PlacementTest.objects.create(learner=UserFactory(), started_at=now, deadline=now + timedelta(hours=1))
    PlacementAnswer.objects.create(test=test, position=1, question=question, asked_at=now).choices.set([choice])


def _picked_in_a_recheck(question, choice) -> None:
    from roadmap.models import Recheck, RecheckAnswer

    now = timezone.now()
    recheck = Recheck.objects.create(
        learner=UserFactory(), competency=question.competency, proficiency=2, interval_days=30,
        state="open", scheduled_at=now - timedelta(days=30), due_at=now,
    )  # fmt: skip
    RecheckAnswer.objects.create(recheck=recheck, position=1, question=question).choices.set([choice])


@pytest.mark.django_db
@pytest.mark.parametrize("picked", [_picked_in_a_quiz, _picked_in_a_placement_test, _picked_in_a_recheck])
def test_reimport_keeps_a_removed_choice_that_learners_chose(picked):
    content_import(small_bundle())
    question = Question.objects.get(slug="sql-q1")
    last = question.choices.get(order=3)
    picked(question, last)

    edited = small_bundle()
    _competency_in(edited, "sql")["questions"][0]["choices"].pop()
    report = content_import(edited)
    last.refresh_from_db()
    assert (last.retired, last.is_correct) == (True, False)
    assert any("retired choice" in w and "learners chose it" in w for w in report.warnings)
    assert len(_competency_in(content_export(), "sql")["questions"][0]["choices"]) == 3


def _a_learner_answered_the_key() -> tuple[Choice, Response]:
    """The small bundle imported, and a learner's recorded answer: the key of question sql-q1."""
    content_import(small_bundle())
    question = Question.objects.get(slug="sql-q1")
    key = question.choices.get(is_correct=True)
    attempt = Attempt.objects.create(learner=UserFactory(), quiz=question.quiz, started_at=timezone.now())
    response = Response.objects.create(attempt=attempt, question=question, answered_at=timezone.now())
    response.choices.set([key])
    return key, response


@pytest.mark.django_db
def test_reordering_choices_keeps_what_each_recorded_answer_means():
    key, response = _a_learner_answered_the_key()

    edited = small_bundle()
    _competency_in(edited, "sql")["questions"][0]["choices"].reverse()
    content_import(edited)

    chosen = response.choices.get()
    assert (chosen.pk, chosen.text, chosen.is_correct) == (key.pk, key.text, True)
    assert [c["text"] for c in _competency_in(content_export(), "sql")["questions"][0]["choices"]] == [
        c["text"] for c in _competency_in(edited, "sql")["questions"][0]["choices"]
    ]


@pytest.mark.django_db
def test_a_retired_choice_is_never_shown_nor_accepted(client):
    content_import(small_bundle())
    question = Question.objects.get(slug="sql-q1")
    removed = question.choices.order_by("order").last()
    learner = UserFactory()
    old = Attempt.objects.create(learner=learner, quiz=question.quiz, started_at=timezone.now())
    Response.objects.create(attempt=old, question=question, answered_at=timezone.now()).choices.set([removed])
    edited = small_bundle()
    _competency_in(edited, "sql")["questions"][0]["choices"].pop()
    content_import(edited)

    client.force_login(learner)
    client.post(reverse("quiz_start", args=[question.quiz.slug]))
    attempt = Attempt.objects.get(learner=learner, state="open")
    page = client.get(reverse("attempt_question", args=[attempt.pk, 1])).content.decode()
    assert removed.text not in page
    refused = client.post(reverse("attempt_answer", args=[attempt.pk, 1]), {"choice": [removed.pk]})
    assert refused.status_code == 400 and "does not belong to this question" in refused.content.decode()


@pytest.mark.django_db
def test_import_command_refuses_invalid_content_and_changes_nothing(tmp_path):
    broken = small_bundle()
    _competency_in(broken, "sql")["prerequisites"] = ["indexing"]
    bundle_write(broken, tmp_path)
    with pytest.raises(CommandError, match="Nothing was changed"):
        call_command("import_content", path=tmp_path)
    assert _content_counts_in_db() == (0, 0, 0, 0, 0, 0, 0, 0)


@pytest.mark.django_db
def test_export_command_writes_one_file_per_area(tmp_path):
    content_import(small_bundle())
    call_command("export_content", path=tmp_path)
    assert sorted(p.name for p in Path(tmp_path).rglob("*.yaml")) == ["01-databases.yaml", "levels.yaml"]


@pytest.mark.django_db
def test_admin_action_exports_the_selected_areas(client):
    content_import(small_bundle())
    client.force_login(AdminFactory())
    area = CompetencyArea.objects.get()
    response = client.post(
        reverse("admin:assessments_competencyarea_changelist"),
        {"action": "export_selected", "_selected_action": [area.pk]},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert names == ["levels.yaml", "areas/01-databases.yaml"]


@pytest.mark.django_db
def test_content_missing_from_the_files_is_kept_with_a_warning_and_the_ladder_stays_in_order():
    content_import(small_bundle())
    edited = small_bundle()
    removed_level = edited["levels"].pop(1)
    _competency_in(edited, "sql")["questions"].pop()
    edited["areas"][0]["competencies"] = [c for c in edited["areas"][0]["competencies"] if c["slug"] == "sql"]
    _competency_in(edited, "sql")["expectations"].pop(removed_level["slug"])
    for _ in range(3):
        report = content_import(edited)
    orders = list(Level.objects.order_by("order").values_list("slug", "order"))
    assert orders[-1] == (removed_level["slug"], len(LEVELS))
    assert [o for _, o in orders] == list(range(1, len(LEVELS) + 1))
    assert f"level {removed_level['slug']}: not in the files, kept after the ladder; delete it in the admin" in (
        report.warnings
    )
    assert "question sql-q2: not in the files, kept; delete it in the admin" in report.warnings
    assert "competency indexing: not in the files, kept; delete it in the admin" in report.warnings


@pytest.mark.django_db
def test_an_unpublished_quiz_stays_unpublished_through_export_and_import():
    content_import(small_bundle())
    Quiz.objects.update(is_published=False)
    exported = content_export()
    assert exported["areas"][0]["quiz"]["published"] is False
    Quiz.objects.update(is_published=True)
    content_import(exported)
    assert not Quiz.objects.get().is_published


@pytest.mark.django_db
def test_rewording_the_key_and_a_distractor_never_flips_a_recorded_answer():
    key, response = _a_learner_answered_the_key()

    edited = small_bundle()
    choices = _competency_in(edited, "sql")["questions"][0]["choices"]
    wrong_at = next(i for i, c in enumerate(choices) if not c["correct"])
    key_at = next(i for i, c in enumerate(choices) if c["correct"])
    choices[wrong_at] = {"text": "A brand new right answer", "correct": True}
    choices[key_at] = {"text": "A brand new wrong answer", "correct": False}
    content_import(edited)

    chosen = response.choices.get()
    assert (chosen.pk, chosen.is_correct, chosen.text) == (key.pk, True, "A brand new right answer")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda b: b["levels"].append("oops"), "levels item 6 must be a mapping of fields, not 'oops'"),
        (lambda b: b["areas"][0].update(quiz=None), "area databases: quiz must be a mapping with a slug"),
        (
            lambda b: b["areas"][0]["quiz"].update(retake_after_days="7"),
            "area databases: quiz retake_after_days must be a whole number >= 0 or empty, not '7'",
        ),
        (
            lambda b: _competency_in(b, "sql").update(expectations=[1, 2]),
            "competency sql: expectations must be a mapping of level slug to cell",
        ),
        (
            lambda b: _competency_in(b, "sql")["questions"].append("q?"),
            "competency sql questions item 3 must be a mapping of fields, not 'q?'",
        ),
        (lambda b: _competency_in(b, "sql").update(name=5), "competency sql: name must be text, not 5"),
    ],
)
def test_a_malformed_file_gets_a_message_not_a_traceback(change, message):
    assert message in _problems_after(change)


@pytest.mark.django_db
def test_choice_ids_do_not_follow_where_the_author_put_the_key():
    """The quiz page posts choice ids; after an import their order says nothing about the file's order."""
    content_import(bundle_read(DEFAULT_CONTENT_DIR))
    questions = list(Question.objects.prefetch_related("choices"))
    in_file_order = sum(
        [c.pk for c in sorted(q.choices.all(), key=lambda c: c.order)] == sorted(c.pk for c in q.choices.all())
        for q in questions
    )
    assert in_file_order / len(questions) < 0.15  # 1 in 24 by chance with four choices
