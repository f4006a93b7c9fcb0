import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from assessments import models


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery")


class MentorFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def mentor_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name="Mentors")[0])


class AdminFactory(UserFactory):
    is_staff = True
    is_superuser = True


class LevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Level
        django_get_or_create = ("slug",)

    order = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"level-{n}")
    name = factory.Sequence(lambda n: f"Level {n}")
    summary = "What this level does."


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CompetencyArea

    slug = factory.Sequence(lambda n: f"area-{n}")
    name = factory.Sequence(lambda n: f"Area {n}")
    order = factory.Sequence(lambda n: n)


class CompetencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Competency

    area = factory.SubFactory(AreaFactory)
    slug = factory.Sequence(lambda n: f"competency-{n}")
    name = factory.Sequence(lambda n: f"Competency {n}")
    order = factory.Sequence(lambda n: n)


class ExpectationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Expectation

    competency = factory.SubFactory(CompetencyFactory)
    level = factory.SubFactory(LevelFactory)
    proficiency = 2
    description = "Does the work."


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Resource

    competency = factory.SubFactory(CompetencyFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = factory.Sequence(lambda n: f"https://docs.example.com/{n}")
    hours = 3
    proficiency = 2


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Quiz

    slug = factory.Sequence(lambda n: f"quiz-{n}")
    title = factory.Sequence(lambda n: f"Quiz {n}")
    area = factory.SubFactory(AreaFactory)
    retake_after_days = 0


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Question

    quiz = factory.SubFactory(QuizFactory)
    competency = factory.SubFactory(CompetencyFactory, area=factory.SelfAttribute("..quiz.area"))
    slug = factory.Sequence(lambda n: f"question-{n}")
    text = factory.Sequence(lambda n: f"Question number {n}?")
    explanation = "Because the documentation says so."
    difficulty = 2


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Choice

    question = factory.SubFactory(QuestionFactory)
    text = factory.Sequence(lambda n: f"Choice {n}")
    is_correct = False


class AttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Attempt

    learner = factory.SubFactory(UserFactory)
    quiz = factory.SubFactory(QuizFactory)
    started_at = factory.LazyFunction(timezone.now)


def question_with_choices(*, correct: int = 1, wrong: int = 2, **kwargs) -> models.Question:
    question = QuestionFactory(kind="multiple" if correct > 1 else "single", **kwargs)
    for i in range(correct):
        ChoiceFactory(question=question, is_correct=True, text=f"Right {i}", order=i)
    for i in range(wrong):
        ChoiceFactory(question=question, is_correct=False, text=f"Wrong {i}", order=correct + i)
    return question


def quiz_with_questions(*, count: int = 3, time_limit_minutes: int | None = None, **quiz_kwargs) -> models.Quiz:
    """A quiz of ``count`` single-choice questions, each with choices 'Right 0', 'Wrong 0', 'Wrong 1'."""
    quiz = QuizFactory(time_limit_minutes=time_limit_minutes, **quiz_kwargs)
    competency = CompetencyFactory(area=quiz.area)
    for n in range(count):
        question_with_choices(quiz=quiz, competency=competency, order=n, explanation=f"Secret explanation {n}.")
    return quiz


def right_choice(question: models.Question) -> models.Choice:
    return question.choices.get(is_correct=True)


def wrong_choice(question: models.Question) -> models.Choice:
    return question.choices.filter(is_correct=False).first()


def api_token(user: User, *, scope: str = "read", name: str = "script", **kwargs) -> str:
    """A live API token of ``user``'s: its secret, as the profile page shows it once."""
    from careerpath.tokens import token_create

    return token_create(user_id=user.pk, name=name, scope=scope, now=timezone.now(), **kwargs)[1]
