import logging
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.attempts import attempt_submit
from assessments.models import Attempt, Competency, LearnerProfile, Level, Mentorship, Quiz, Response, SelfRating

DEMO_USERS = [
    # username, password, role
    ("learner", "learner-demo-pass", "learner"),
    ("mentor", "mentor-demo-pass", "mentor"),
    ("admin", "admin-demo-pass", "admin"),
]


@contextmanager
def _quiet(*names: str):
    """Only errors from these loggers meanwhile: the eager recompute's task log and kombu's note
    about the missing broker would otherwise sit right above the credentials."""
    known = [name for name in logging.root.manager.loggerDict if name.startswith(tuple(f"{n}." for n in names))]
    loggers = [logging.getLogger(name) for name in (*names, *known)]  # children may set their own level
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = "Create the demo learner, mentor and admin (development only) and print their credentials."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users have public passwords: refusing to create them with DEBUG off.")
        with _quiet("celery", "kombu"):
            self._seed()

    def _seed(self) -> None:
        mentors, _ = Group.objects.get_or_create(name=settings.MENTOR_GROUP)
        users = {}
        for username, password, role in DEMO_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.com"})
            user.set_password(password)
            user.is_staff = user.is_superuser = role == "admin"
            user.save()
            if role == "mentor":
                user.groups.add(mentors)
            users[role] = user
        levels = list(Level.objects.order_by("order")[:2])
        LearnerProfile.objects.update_or_create(
            user=users["learner"],
            defaults={
                "current_role": "Backend developer",
                "years_experience": 1,
                "current_level": levels[0] if levels else None,
                "target_level": levels[-1] if levels else None,
            },
        )
        if not Mentorship.objects.active().filter(mentor=users["mentor"], learner=users["learner"]).exists():
            Mentorship.objects.create(mentor=users["mentor"], learner=users["learner"])
        if not SelfRating.objects.filter(learner=users["learner"]).exists():
            self._demo_history(users["learner"])
        self.stdout.write("\nDemo users (development only):")
        for username, password, role in DEMO_USERS:
            self.stdout.write(f"  {role:<8} username: {username:<8} password: {password}")

    @transaction.atomic
    def _demo_history(self, learner: User) -> None:
        """Something to look at: self-ratings in the first areas and one quiz taken (easy questions
        right, hard ones wrong), so results, the roadmap and the mentor dashboard are not empty."""
        now = timezone.now()
        competencies = list(Competency.objects.filter(area__order__lte=3).order_by("area__order", "order"))
        SelfRating.objects.bulk_create(
            SelfRating(learner=learner, competency=c, proficiency=1 + i % 3, rated_at=now - timedelta(days=2))
            for i, c in enumerate(competencies)
        )
        quiz = Quiz.objects.filter(is_published=True, questions__isnull=False).order_by("area__order").first()
        if quiz is None:
            return
        attempt = Attempt.objects.create(learner=learner, quiz=quiz, started_at=now - timedelta(minutes=25))
        for question in quiz.questions.prefetch_related("choices"):
            choices = [c for c in question.choices.all() if not c.retired]
            right = question.difficulty <= 2
            picked = [c for c in choices if c.is_correct == right][
                : 1 if question.kind == "single" or not right else None
            ]
            response = Response.objects.create(attempt=attempt, question=question, answered_at=now)
            response.choices.set(picked)
        attempt_submit(attempt_id=attempt.pk, now=now)  # scores it and asks for the learner's roadmap
