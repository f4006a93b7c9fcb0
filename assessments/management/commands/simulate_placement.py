"""Judge the measurement by simulation: learners of known level, placed by the app's own code.

Prints, for the whole bank and then for the adaptive placement test, the share placed at their true
level, within one level, the median number of questions, how often the nominal 68% interval (mean
± sd) of an assessed competency covers the true proficiency, and the confusion matrix (rows: true
level, columns: placed level). The last line is the adaptive test's. See
``assessments.measurement.simulation`` for how the simulated learners differ from the app's model.
"""

from __future__ import annotations

import os
import time

from django.core.management.base import BaseCommand

from assessments.content import content_load
from assessments.measurement.simulation import Report, simulate


class Command(BaseCommand):
    help = "Simulate learners of known level through the placement test and the whole bank; print accuracy."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=2000, help="Simulated learners per run.")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
        parser.add_argument("--skip-whole-bank", action="store_true", help="Only the adaptive test.")

    def handle(self, *args, learners: int, seed: int, workers: int, skip_whole_bank: bool, **options):
        measurement = content_load(fresh=True).measurement
        levels = [level.name for level in content_load().levels]
        model, bank = measurement.model, measurement.bank
        self.stdout.write(
            f"{len(model.competency_ids)} competencies, {len(bank.question_ids)} published questions, "
            f"{learners} learners per run, seed {seed}"
        )
        runs = [("whole bank", False)] if not skip_whole_bank else []
        runs.append(("placement", True))
        for name, adaptive in runs:
            started = time.monotonic()
            report = simulate(model, bank, count=learners, seed=seed, adaptive=adaptive, workers=workers)
            self.stdout.write(f"\n{name} ({time.monotonic() - started:.0f} s)")
            self._confusion(report, levels)
            self.stdout.write(report.line(name))

    def _confusion(self, report: Report, levels: list[str]) -> None:
        # "Junior Backend Developer" -> "Junior", "Backend Architecture Manager" -> "Architectu"
        short = [
            ([w for w in name.split() if w not in ("Backend", "Developer")] or name.split())[0][:10] for name in levels
        ]
        self.stdout.write("true \\ placed  " + " ".join(f"{s:>10}" for s in short))
        for name, row in zip(short, report.confusion(), strict=True):
            self.stdout.write(f"{name:<14} " + " ".join(f"{n:>10}" for n in row))
