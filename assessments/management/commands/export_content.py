from pathlib import Path

from django.core.management.base import BaseCommand

from assessments.content_files import DEFAULT_CONTENT_DIR, bundle_write
from assessments.content_sync import content_export


class Command(BaseCommand):
    help = "Write the ladder and question bank from the database as YAML files."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_CONTENT_DIR, help="Content directory.")

    def handle(self, *args, path: Path, **options):
        written = bundle_write(content_export(), path)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {path}"))
