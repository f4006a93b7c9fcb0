"""Placement accuracy, by simulation over the shipped content: floors a smaller run must hold.

The full figures come from ``manage.py simulate_placement --learners 2000`` (see ARCHITECTURE.md).
"""

import re

import pytest
from django.core.management import call_command

from assessments.content import content_load
from assessments.measurement.simulation import simulate

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(db):
    call_command("import_content", verbosity=0)
    return content_load(fresh=True).measurement


def test_the_adaptive_placement_test_places_simulated_learners(shipped):
    report = simulate(shipped.model, shipped.bank, count=150, seed=7, adaptive=True)
    assert report.exact >= 65
    assert report.within_one >= 95
    assert report.median_questions <= 20
    assert max(o.questions for o in report.outcomes) <= 25
    assert 55 <= report.coverage <= 80


def test_the_whole_bank_places_simulated_learners(shipped):
    report = simulate(shipped.model, shipped.bank, count=100, seed=8, adaptive=False)
    assert report.exact >= 75
    assert report.within_one >= 97


def test_simulate_placement_prints_the_figures_and_the_confusion_matrix(shipped, capsys):
    call_command("simulate_placement", learners=10, seed=3, workers=1, skip_whole_bank=True)
    out = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(
        r"placement: exact [\d.]+%, within-one [\d.]+%, median questions [\d.]+, coverage [\d.]+%", out[-1]
    )
    assert any(line.startswith("true \\ placed") for line in out)
