from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.content_files import DEFAULT_CONTENT_DIR, ContentFileError, bundle_read
from assessments.content_sync import content_export
from assessments.content_validation import content_counts, content_problems


class Command(BaseCommand):
    help = "Check the content files (or, with --database, the content in the database) and print its counts."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_CONTENT_DIR, help="Content directory.")
        parser.add_argument("--database", action="store_true", help="Validate what is in the database instead.")

    def handle(self, *args, path: Path, database: bool, **options):
        try:
            bundle = content_export() if database else bundle_read(path)
        except ContentFileError as exc:
            raise CommandError(str(exc)) from exc
        for name, value in content_counts(bundle).items():
            self.stdout.write(f"{name:>36}: {value:g}")
        problems = content_problems(bundle)
        for problem in problems:
            self.stderr.write(f"problem: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the content.")
        self.stdout.write(self.style.SUCCESS("Content is valid."))
