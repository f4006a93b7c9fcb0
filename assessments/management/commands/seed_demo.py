from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand, CommandError

from assessments.models import LearnerProfile, Level, Mentorship

DEMO_USERS = [
    # username, password, role
    ("learner", "learner-demo-pass", "learner"),
    ("mentor", "mentor-demo-pass", "mentor"),
    ("admin", "admin-demo-pass", "admin"),
]


class Command(BaseCommand):
    help = "Create the demo learner, mentor and admin (development only) and print their credentials."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo users have public passwords: refusing to create them with DEBUG off.")
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
        self.stdout.write("Demo users (development only):")
        for username, password, role in DEMO_USERS:
            self.stdout.write(f"  {role:<8} username: {username:<8} password: {password}")
