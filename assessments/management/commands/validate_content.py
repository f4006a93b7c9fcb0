from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.content_files import DEFAULT_CONTENT_DIR, ContentFileError, bundle_read
from assessments.content_sync import content_export
from assessments.content_validation import content_counts, content_problems, hard_question_count


class Command(BaseCommand):
    help = "Check the content files (or, with --database, the content in the database) and print its counts."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_CONTENT_DIR, help="Content directory.")
        parser.add_argument("--database", action="store_true", help="Validate what is in the database instead.")
        parser.add_argument(
            "--per-competency", action="store_true", help="Also list each competency's hard questions (difficulty 4-5)."
        )

    def handle(self, *args, path: Path, database: bool, per_competency: bool = False, **options):
        try:
            bundle = content_export() if database else bundle_read(path)
        except ContentFileError as exc:
            raise CommandError(str(exc)) from exc
        for name, value in content_counts(bundle).items():
            self.stdout.write(f"{name:>36}: {value:g}")
        if per_competency:
            for area in bundle.get("areas", []):
                for competency in area.get("competencies") or []:
                    questions = competency.get("questions") or []
                    self.stdout.write(
                        f"{competency.get('slug')}: {hard_question_count(competency)} hard of {len(questions)} questions"
                    )
        problems = content_problems(bundle)
        for problem in problems:
            self.stderr.write(f"problem: {problem}")
        if problems:
            raise CommandError(f"{len(problems)} problem(s) in the content.")
        self.stdout.write(self.style.SUCCESS("Content is valid."))
