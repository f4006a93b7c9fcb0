from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessments.content_files import DEFAULT_CONTENT_DIR, ContentFileError, bundle_read
from assessments.content_sync import content_import
from assessments.content_validation import content_problems
from roadmap.requests import roadmaps_request_all


class Command(BaseCommand):
    help = "Create or update the ladder and question bank from YAML files (idempotent, keyed by slug)."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_CONTENT_DIR, help="Content directory.")

    def handle(self, *args, path: Path, **options):
        try:
            bundle = bundle_read(path)
        except ContentFileError as exc:
            raise CommandError(str(exc)) from exc
        problems = content_problems(bundle)
        if problems:
            for problem in problems:
                self.stderr.write(f"problem: {problem}")
            raise CommandError(f"Not imported: {len(problems)} problem(s) in {path}. Nothing was changed.")
        report = content_import(bundle)
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        self.stdout.write(self.style.SUCCESS(f"Imported content from {path}: {report.summary()}"))
        # Recomputing is idempotent: learners whose inputs did not change get no new version.
        count = roadmaps_request_all(reason="content import", now=timezone.now())
        self.stdout.write(f"Requested a roadmap recompute for {count} learner(s).")
