from django.core.management.base import BaseCommand
from django.utils import timezone

from roadmap.requests import roadmaps_request_all


class Command(BaseCommand):
    help = "Ask for every learner's roadmap to be recomputed (in chunks, by Celery workers)."

    def handle(self, *args, **options):
        count = roadmaps_request_all(reason="command: everyone", now=timezone.now())
        self.stdout.write(self.style.SUCCESS(f"Requested a recompute for {count} learner(s)."))
