"""Find my level in the browser's terms: start, answer, refusals, the end of the test, access.

The placement test picks its questions from the shipped bank, so these tests import it.
"""

import html
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessments import placement_tests
from assessments.content import content_load
from assessments.measurement.placement import HARD_CAP
from assessments.models import Choice, PlacementAnswer, PlacementTest, Question
from assessments.placement_tests import placement_current, placement_start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(db):
    call_command("import_content", verbosity=0)
    return content_load(fresh=True)


def _start(client) -> PlacementTest:
    response = client.post(reverse("placement_start"))
    assert response.status_code == 302
    return PlacementTest.objects.get(state="open")


def _current(test: PlacementTest) -> PlacementAnswer:
    return placement_current(test)


def _right(asked: PlacementAnswer) -> list[int]:
    return list(asked.question.choices.filter(is_correct=True, retired=False).values_list("id", flat=True))


def _wrong(asked: PlacementAnswer) -> list[int]:
    return [asked.question.choices.filter(is_correct=False, retired=False).values_list("id", flat=True).first()]


def _answer(client, test, position, choice_ids):
    url = reverse("placement_answer", args=[test.pk, position])
    return client.post(url, {"choice": [str(c) for c in choice_ids]})


def _answer_until_finished(client, test, *, right: bool) -> PlacementTest:
    for _ in range(HARD_CAP + 1):
        test.refresh_from_db()
        if not test.is_open:
            return test
        asked = _current(test)
        response = _answer(client, test, asked.position, _right(asked) if right else _wrong(asked))
        assert response.status_code == 302
    raise AssertionError("the placement test did not finish by itself")


def _as_single_choice(asked: PlacementAnswer) -> PlacementAnswer:
    """Put a single-choice question (not yet asked) at the open position, for refusals that need one."""
    asked_ids = asked.test.answers.values_list("question_id", flat=True)
    asked.question = Question.objects.filter(kind="single").exclude(pk__in=asked_ids).first()
    asked.save(update_fields=["question"])
    return asked


# --- starting and resuming -----------------------------------------------------------------


def test_starting_opens_a_test_at_its_first_question(client, learner, shipped):
    response = client.post(reverse("placement_start"))
    test = PlacementTest.objects.get(learner=learner)
    assert response.url == reverse("placement_question", args=[test.pk, 1])
    assert test.is_open and test.answers.count() == 1


def test_starting_again_resumes_the_open_test(client, learner, shipped):
    test = _start(client)
    again = client.post(reverse("placement_start"))
    assert again.url == reverse("placement_question", args=[test.pk, 1])
    assert PlacementTest.objects.filter(learner=learner).count() == 1
    assert test.answers.count() == 1


def test_the_intro_offers_resume_for_an_open_test(client, learner, shipped):
    intro = client.get(reverse("placement")).content.decode()
    assert "Start the test" in intro and "At most 20 questions" in intro and "30 minutes" in intro
    test = _start(client)
    intro = client.get(reverse("placement")).content.decode()
    assert "Resume the test" in intro and reverse("placement_test", args=[test.pk]) in intro


def test_two_starts_that_race_converge_on_one_test(learner, shipped, monkeypatch):
    first = placement_start(learner_id=learner.pk, now=timezone.now())
    # The second start does not see the first test (it was read before the first one committed).
    real_filter = PlacementTest.objects.filter
    blind = {"once": True}

    def filter_blind_once(*args, **kwargs):
        if blind.pop("once", False):
            return PlacementTest.objects.none()
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(placement_tests.PlacementTest.objects, "filter", filter_blind_once)
    second = placement_start(learner_id=learner.pk, now=timezone.now())
    assert second.pk == first.pk
    assert PlacementTest.objects.filter(learner=learner).count() == 1
    assert PlacementAnswer.objects.filter(test=first).count() == 1


def test_the_test_url_goes_to_the_current_question(client, learner, shipped):
    test = _start(client)
    _answer(client, test, 1, _wrong(_current(test)))
    assert client.get(reverse("placement_test", args=[test.pk])).url == reverse("placement_question", args=[test.pk, 2])


# --- answering -----------------------------------------------------------------------------


def test_an_answer_is_saved_at_once_and_the_next_question_follows(client, learner, shipped):
    test = _start(client)
    asked = _current(test)
    response = _answer(client, test, 1, _wrong(asked))
    assert response.status_code == 302
    assert response.url == reverse("placement_question", args=[test.pk, 2])
    asked.refresh_from_db()
    assert asked.answered_at is not None and asked.correct is False
    assert list(asked.choices.values_list("id", flat=True)) == _wrong(asked)
    assert _current(test).position == 2


def test_an_answered_question_shows_the_saved_answer_locked(client, learner, shipped):
    test = _start(client)
    chosen = _wrong(_current(test))[0]
    _answer(client, test, 1, [chosen])
    page = client.get(reverse("placement_question", args=[test.pk, 1])).content.decode()
    assert re.search(rf'value="{chosen}"\s+checked', page)
    assert "<fieldset disabled>" in page
    assert "Saved — in an adaptive test answers can't be changed" in page
    assert reverse("placement_question", args=[test.pk, 2]) in page
    assert reverse("placement_answer", args=[test.pk, 1]) not in page


def test_a_second_answer_to_the_same_question_is_refused_and_changes_nothing(client, learner, shipped):
    test = _start(client)
    asked = _current(test)
    wrong = _wrong(asked)
    _answer(client, test, 1, wrong)
    asked.refresh_from_db()
    saved_at = asked.answered_at
    response = _answer(client, test, 1, _right(asked))
    assert response.status_code == 400
    assert "answers can&#x27;t be changed" in response.content.decode()
    asked.refresh_from_db()
    assert (asked.answered_at, asked.correct) == (saved_at, False)
    assert list(asked.choices.values_list("id", flat=True)) == wrong
    assert test.answers.count() == 2


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("other_question", "does not belong to this question"),
        ("two_on_single", "takes a single answer"),
        ("empty", "Pick an answer first"),
        ("not_a_number", "does not belong to this question"),
    ],
)
def test_bad_answers_are_refused_with_a_message_and_change_nothing(client, learner, shipped, case, message):
    test = _start(client)
    asked = _as_single_choice(_current(test))
    own = list(asked.question.choices.filter(retired=False).values_list("id", flat=True))
    choices = {
        "other_question": [Choice.objects.exclude(question=asked.question).first().pk],
        "two_on_single": own[:2],
        "empty": [],
        "not_a_number": ["abc"],
    }[case]
    response = _answer(client, test, 1, choices)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert reverse("placement_answer", args=[test.pk, 1]) in page  # the question is asked again
    asked.refresh_from_db()
    assert asked.answered_at is None and not asked.choices.exists()
    assert test.answers.count() == 1
    if case == "two_on_single":  # what the learner picked is still picked
        for choice_id in own[:2]:
            assert re.search(rf'value="{choice_id}"\s+checked', page)


def test_an_unknown_question_number_is_404(client, learner, shipped):
    test = _start(client)
    assert client.get(reverse("placement_question", args=[test.pk, 2])).status_code == 404
    assert _answer(client, test, 7, _wrong(_current(test))).status_code == 404


def test_an_answer_after_the_deadline_is_refused_and_finishes_the_test(client, learner, shipped):
    test = _start(client)
    _answer(client, test, 1, _right(_current(test)))
    late = _current(test)
    PlacementTest.objects.filter(pk=test.pk).update(
        started_at=timezone.now() - timedelta(minutes=40), deadline=timezone.now() - timedelta(minutes=10)
    )
    response = _answer(client, test, 2, _right(late))
    assert response.url == reverse("placement_result", args=[test.pk])
    test.refresh_from_db()
    assert test.state == "finished" and test.result["answered"] == 1
    assert not PlacementAnswer.objects.filter(pk=late.pk).exists()
    page = client.get(response.url).content.decode()
    assert "% sure" in page


def test_a_test_finished_without_answers_says_so_and_offers_a_new_one(client, learner, shipped):
    test = _start(client)
    PlacementTest.objects.filter(pk=test.pk).update(
        started_at=timezone.now() - timedelta(minutes=40), deadline=timezone.now() - timedelta(minutes=10)
    )
    response = _answer(client, test, 1, _right(_current(test)))
    page = client.get(response.url).content.decode()
    assert "finished before any question was answered" in page
    assert reverse("placement_start") in page
    assert "Time is up" in page


# --- the end of the test -------------------------------------------------------------------


def test_all_right_answers_finish_the_test_at_the_top_level(client, learner, shipped):
    test = _answer_until_finished(client, _start(client), right=True)
    probabilities = test.result["level_probabilities"]
    assert test.result["answered"] <= HARD_CAP
    assert probabilities.index(max(probabilities)) == len(shipped.levels) - 1
    page = client.get(reverse("placement_result", args=[test.pk])).content.decode()
    assert f"Your level: {shipped.levels[-1].name}" in page
    assert "% sure" in page


def test_all_wrong_answers_finish_the_test_at_the_bottom_level(client, learner, shipped):
    test = _answer_until_finished(client, _start(client), right=False)
    probabilities = test.result["level_probabilities"]
    assert test.result["answered"] <= HARD_CAP
    assert probabilities.index(max(probabilities)) == 0
    page = client.get(reverse("placement_result", args=[test.pk])).content.decode()
    assert f"Your level: {shipped.levels[0].name}" in page


def test_the_last_answer_leads_to_the_result_with_levels_areas_and_quizzes(client, learner, shipped):
    test = _start(client)
    for _ in range(HARD_CAP + 1):
        asked = _current(test)
        response = _answer(client, test, asked.position, _right(asked) if asked.position % 2 else _wrong(asked))
        test.refresh_from_db()
        if not test.is_open:
            break
    assert response.url == reverse("placement_result", args=[test.pk])
    page = client.get(response.url).content.decode()
    for level in shipped.levels:
        assert re.search(rf"{re.escape(level.name)}.*?</th>\s*<td>.*?\d+%", page, re.S)
    assert "A first estimate per area" in page
    assert page.count("<li>Take the ") == len(test.result["sharpen_areas"])
    assert reverse("quiz_list") in page and reverse("dashboard") in page
    intro = client.get(reverse("placement")).content.decode()
    assert "Your latest result" in intro and "Start a new test" in intro


def test_an_open_tests_result_page_leads_back_to_the_question(client, learner, shipped):
    test = _start(client)
    assert client.get(reverse("placement_result", args=[test.pk])).url == reverse(
        "placement_question", args=[test.pk, 1]
    )


# --- what open-test pages do not say -------------------------------------------------------


def test_no_open_test_page_gives_away_correctness(client, learner, shipped):
    test = _start(client)
    pages = []
    for _ in range(4):
        asked = _current(test)
        pages.append((asked, client.get(reverse("placement_question", args=[test.pk, asked.position]))))
        pages.append((asked, _answer(client, test, asked.position, [])))  # the refused, re-rendered form
        _answer(client, test, asked.position, _right(asked))
        pages.append((asked, client.get(reverse("placement_question", args=[test.pk, asked.position]))))
    pages.append((None, client.get(reverse("placement"))))
    for asked, response in pages:
        page = html.unescape(response.content.decode())
        assert "is_correct" not in page
        assert not re.search(r"correct", page, re.I)
        if asked is not None:
            assert asked.question.explanation.strip() not in page


# --- access --------------------------------------------------------------------------------


def _urls(test: PlacementTest) -> list[tuple[str, str]]:
    return [
        ("get", reverse("placement_test", args=[test.pk])),
        ("get", reverse("placement_question", args=[test.pk, 1])),
        ("post", reverse("placement_answer", args=[test.pk, 1])),
        ("get", reverse("placement_result", args=[test.pk])),
    ]


def test_another_learner_gets_404_on_every_url(client, shipped):
    owner = UserFactory()
    test = placement_start(learner_id=owner.pk, now=timezone.now())
    client.force_login(UserFactory())
    for method, url in _urls(test):
        assert getattr(client, method)(url).status_code == 404, url
    assert test.answers.filter(answered_at__isnull=False).count() == 0


def test_anonymous_visitors_are_sent_to_log_in(client, shipped):
    test = placement_start(learner_id=UserFactory().pk, now=timezone.now())
    for method, url in [*_urls(test), ("get", reverse("placement")), ("post", reverse("placement_start"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert PlacementTest.objects.count() == 1


def test_starting_needs_post(client, learner, shipped):
    assert client.get(reverse("placement_start")).status_code == 405


def test_question_and_result_pages_are_never_stored(client, learner, shipped):
    test = _start(client)
    asked = _current(test)
    pages = [
        client.get(reverse("placement_question", args=[test.pk, 1])),
        _answer(client, test, 1, []),
    ]
    _answer(client, test, 1, _right(asked))
    pages.append(client.get(reverse("placement_question", args=[test.pk, 1])))
    test = _answer_until_finished(client, test, right=True)
    pages.append(client.get(reverse("placement_result", args=[test.pk])))
    for response in pages:
        assert "no-store" in response["Cache-Control"]


def test_i_dont_know_yet_is_saved_as_an_answer_and_shown_as_such(client, learner, shipped):
    test = _start(client)
    asked = _current(test)
    response = client.post(reverse("placement_answer", args=[test.pk, asked.position]), {"dont_know": "1"})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.dont_know and asked.correct is False and asked.answered_at is not None
    assert not asked.choices.exists()
    page = client.get(reverse("placement_question", args=[test.pk, asked.position])).content.decode()
    assert "you answered “I don't know yet”" in page


def test_every_question_answered_i_dont_know_yet_places_at_the_bottom(client, learner, shipped):
    test = _start(client)
    for _ in range(HARD_CAP + 1):
        test.refresh_from_db()
        if not test.is_open:
            break
        asked = _current(test)
        client.post(reverse("placement_answer", args=[test.pk, asked.position]), {"dont_know": "1"})
    test.refresh_from_db()
    probabilities = test.result["level_probabilities"]
    assert not test.is_open and probabilities.index(max(probabilities)) == 0


def test_placement_pages_query_counts_do_not_grow_with_answers(client, learner, shipped):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    test = _start(client)
    _answer(client, test, 1, _right(_current(test)))
    answered_early = queries(reverse("placement_question", args=[test.pk, 1]))
    current_early = queries(reverse("placement_question", args=[test.pk, _current(test).position]))
    for _ in range(5):
        asked = _current(test)
        _answer(client, test, asked.position, _wrong(asked) if asked.position % 2 else _right(asked))
    test.refresh_from_db()
    assert test.is_open
    assert queries(reverse("placement_question", args=[test.pk, 1])) == answered_early
    assert queries(reverse("placement_question", args=[test.pk, _current(test).position])) == current_early
