"""The competency matrix, the question bank, and what learners do with them."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from careerpath.zones import time_zone_validate


class Proficiency(models.IntegerChoices):
    NONE = 0, "None"
    AWARE = 1, "Aware"
    WORKING = 2, "Working"
    PROFICIENT = 3, "Proficient"
    EXPERT = 4, "Expert"


PROFICIENCY_DESCRIPTORS: dict[int, str] = {
    Proficiency.NONE: "Has not worked with it yet.",
    Proficiency.AWARE: "Knows the concepts and vocabulary; needs guidance to apply them.",
    Proficiency.WORKING: "Does routine work on their own and knows where to look things up.",
    Proficiency.PROFICIENT: "Handles complex and unusual cases and guides others.",
    Proficiency.EXPERT: "Sets direction for a team or organisation; a recognised authority.",
}

PROFICIENCY_RANGE = Q(proficiency__gte=0) & Q(proficiency__lte=4)
proficiency_validators = [MinValueValidator(0), MaxValueValidator(4)]


class Level(models.Model):
    """A rung of the career ladder, ordered from Junior to Backend Architecture Manager."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(unique=True)
    years_min = models.PositiveSmallIntegerField(default=0)
    years_max = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for open-ended.")
    summary = models.TextField(blank=True)
    responsibilities = models.TextField(blank=True, help_text="One responsibility per line.")

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name

    @property
    def years_label(self) -> str:
        if self.years_max is None:
            return f"{self.years_min}+ yrs"
        return f"{self.years_min}-{self.years_max} yrs"

    @property
    def responsibility_list(self) -> list[str]:
        return [line.strip() for line in self.responsibilities.splitlines() if line.strip()]


class CompetencyArea(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    area = models.ForeignKey(CompetencyArea, on_delete=models.PROTECT, related_name="competencies")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="unlocks",
        help_text="Competencies to build first.",
    )

    class Meta:
        ordering = ["area__order", "order", "name"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name


class Expectation(models.Model):
    """A cell of the matrix: what a competency demands at one level."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="expectations")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="expectations")
    proficiency = models.PositiveSmallIntegerField(choices=Proficiency.choices, validators=proficiency_validators)
    description = models.TextField(help_text="What someone at this level observably does.")

    class Meta:
        ordering = ["competency", "level__order"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="one_expectation_per_cell"),
            models.CheckConstraint(condition=PROFICIENCY_RANGE, name="expectation_proficiency_range"),
        ]

    def __str__(self) -> str:
        return f"{self.competency} @ {self.level}"


class Stack(models.TextChoices):
    """The language stacks a learner may work in; resources for theirs come first."""

    PYTHON = "python", "Python"
    JAVA = "java", "Java / JVM"
    GO = "go", "Go"
    NODE = "node", "JavaScript / Node.js"
    PHP = "php", "PHP"
    RUBY = "ruby", "Ruby"
    DOTNET = "dotnet", ".NET / C#"


class Resource(models.Model):
    class Kind(models.TextChoices):
        DOCUMENTATION = "documentation"
        COURSE = "course"
        BOOK = "book"
        ARTICLE = "article"
        VIDEO = "video"
        PRACTICE = "practice"

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="resources")
    title = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.DOCUMENTATION)
    hours = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)], help_text="Estimated hours.")
    proficiency = models.PositiveSmallIntegerField(
        choices=Proficiency.choices,
        validators=proficiency_validators,
        help_text="The proficiency this resource helps reach.",
    )
    stack = models.CharField(
        max_length=10, choices=Stack.choices, blank=True, help_text="Empty: useful whatever the learner's stack."
    )

    class Meta:
        ordering = ["competency", "proficiency", "title"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "url"], name="unique_resource_url_per_competency"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="resource_hours_positive"),
            models.CheckConstraint(condition=PROFICIENCY_RANGE, name="resource_proficiency_range"),
        ]

    def __str__(self) -> str:
        return self.title


class Quiz(models.Model):
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    area = models.ForeignKey(CompetencyArea, on_delete=models.PROTECT, related_name="quizzes")
    description = models.TextField(blank=True)
    time_limit_minutes = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="Empty for untimed."
    )
    retake_after_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days a learner waits after a submitted attempt before a retake; 0 = any time."
    )
    is_published = models.BooleanField(default=True)

    class Meta:
        ordering = ["area__order", "title"]
        verbose_name_plural = "quizzes"

    def __str__(self) -> str:
        return self.title

    def deadline_from(self, started_at: datetime) -> datetime | None:
        if self.time_limit_minutes is None:
            return None
        return started_at + timedelta(minutes=self.time_limit_minutes)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "Single choice"
        MULTIPLE = "multiple", "Multiple choice"

    class Difficulty(models.IntegerChoices):
        JUNIOR = 1, "Junior"
        DEVELOPER = 2, "Backend Developer"
        SENIOR = 3, "Senior"
        LEAD = 4, "Lead"
        ARCHITECT = 5, "Architect"

    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="questions")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="questions")
    slug = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    difficulty = models.PositiveSmallIntegerField(choices=Difficulty.choices, default=Difficulty.JUNIOR)
    text = models.TextField()
    explanation = models.TextField(help_text="Why the right answer is right; shown only after submission.")
    order = models.PositiveSmallIntegerField(default=0)
    # The item model (assessments/measurement/items.py). Empty until set: the authored prior from the
    # difficulty label is used (``item_params``); calibration stores estimates from real answers.
    irt_discrimination = models.FloatField(null=True, blank=True, help_text="Item model: discrimination a.")
    irt_difficulty = models.FloatField(null=True, blank=True, help_text="Item model: difficulty b (0-4 scale).")
    irt_guessing = models.FloatField(null=True, blank=True, help_text="Item model: guessing c.")
    irt_answers = models.PositiveIntegerField(default=0, help_text="Answers the calibrated parameters rest on.")
    # Item analysis, stored by the calibration job (assessments/measurement/calibration.py).
    facility = models.FloatField(null=True, blank=True, help_text="Share of answers that were right.")
    discrimination_index = models.FloatField(
        null=True, blank=True, help_text="Correlation of this question with the rest of the quiz (item-rest)."
    )
    choice_shares = models.JSONField(default=dict, blank=True, help_text="Choice id -> share of answers picking it.")
    answer_count = models.PositiveIntegerField(default=0, help_text="Submitted answers analysed.")
    flags = models.CharField(max_length=200, blank=True, help_text="Item-analysis flags, comma separated.")
    analysed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["quiz", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(difficulty__gte=1) & Q(difficulty__lte=5), name="question_difficulty_range"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_calibrated(self) -> bool:
        return self.irt_difficulty is not None and self.irt_answers > 0


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(max_length=500)
    is_correct = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(
        default=False,
        help_text="Removed from the question but kept because learners chose it: never shown, never correct.",
    )

    class Meta:
        ordering = ["question", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(retired=True, is_correct=True), name="retired_choice_not_correct"),
        ]

    def __str__(self) -> str:
        return self.text


class Attempt(models.Model):
    class State(models.TextChoices):
        OPEN = "open"
        SUBMITTED = "submitted"

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    auto_submitted = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True, help_text="Fraction of questions answered correctly, 0-1.")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            # Enforced by the database so concurrent starts cannot open two attempts.
            models.UniqueConstraint(
                fields=["learner", "quiz"], condition=Q(state="open"), name="one_open_attempt_per_quiz"
            ),
            models.CheckConstraint(
                condition=Q(state="open", submitted_at__isnull=True) | Q(state="submitted", submitted_at__isnull=False),
                name="attempt_submitted_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(deadline__gt=F("started_at")),
                name="attempt_deadline_after_start",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=1)), name="attempt_score_fraction"
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="attempt_state_deadline")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.quiz} · {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def is_past_deadline(self, now: datetime) -> bool:
        return self.deadline is not None and now >= self.deadline

    def submit(self, *, now: datetime, score: float, auto: bool = False) -> None:
        self.state = self.State.SUBMITTED
        self.submitted_at = now
        self.score = score
        self.auto_submitted = auto
        self.save(update_fields=["state", "submitted_at", "score", "auto_submitted"])


class Response(models.Model):
    """A learner's answer to one question in one attempt, saved the moment it is given."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="responses")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="responses")
    choices = models.ManyToManyField(Choice, related_name="responses")
    answered_at = models.DateTimeField(null=True, blank=True, help_text="Empty: left unanswered at submission.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_response_per_question"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt_id} · {self.question_id}"


class SelfRating(models.Model):
    """A learner's own rating of a competency; every rating is kept as history."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="self_ratings")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="self_ratings")
    proficiency = models.PositiveSmallIntegerField(choices=Proficiency.choices, validators=proficiency_validators)
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["-rated_at", "-id"]
        constraints = [models.CheckConstraint(condition=PROFICIENCY_RANGE, name="self_rating_proficiency_range")]
        indexes = [models.Index(fields=["learner", "competency", "-rated_at"], name="self_rating_latest")]

    def __str__(self) -> str:
        return f"{self.learner} · {self.competency} = {self.proficiency}"


class MentorRating(models.Model):
    """A mentor's rating of a learner's competency, with the evidence behind it; history kept."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_ratings")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_ratings_given")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="mentor_ratings")
    proficiency = models.PositiveSmallIntegerField(choices=Proficiency.choices, validators=proficiency_validators)
    note = models.TextField(help_text="What the rating is based on.")
    evidence_url = models.URLField(max_length=500, blank=True, help_text="A pull request, design document, ...")
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["-rated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=PROFICIENCY_RANGE, name="mentor_rating_proficiency_range"),
            models.CheckConstraint(condition=~Q(mentor=F("learner")), name="mentor_rating_not_self"),
        ]
        indexes = [models.Index(fields=["learner", "competency", "-rated_at"], name="mentor_rating_latest")]

    def __str__(self) -> str:
        return f"{self.mentor} rated {self.learner} · {self.competency} = {self.proficiency}"


class LearnerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    current_role = models.CharField(max_length=120, blank=True)
    years_experience = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(60)])
    current_level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target_level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    roadmap_emails = models.BooleanField(default=True, help_text="Email me when my roadmap is updated.")
    stack = models.CharField(max_length=10, choices=Stack.choices, blank=True, help_text="Resources for it come first.")
    weekly_hours = models.PositiveSmallIntegerField(
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text="Hours a week for learning: the roadmap's expected dates follow from it.",
    )
    # Not a choices field: the names come with tzdata, and a new release would need a migration.
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[time_zone_validate],
        help_text="An IANA name such as Europe/Berlin; empty until known (times are shown in UTC).",
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def is_onboarded(self) -> bool:
        return self.target_level_id is not None


class MentorshipQuerySet(models.QuerySet):
    def active(self) -> MentorshipQuerySet:
        return self.filter(active=True)


class Mentorship(models.Model):
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_learner"
    )
    active = models.BooleanField(default=True)
    started_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "learner"], condition=Q(active=True), name="one_active_mentorship_per_pair"
            ),
            models.CheckConstraint(condition=~Q(mentor=F("learner")), name="mentor_is_not_own_learner"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.learner}"


class MentorInvite(models.Model):
    """A link or code a mentor shares; the learner who accepts it starts a mentorship."""

    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_invites")
    code = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invite {self.code} from {self.mentor}"

    def is_usable(self, now: datetime) -> bool:
        return self.accepted_at is None and now < self.expires_at


class CompetencyEstimate(models.Model):
    """A learner's stored proficiency in one competency (assessments/standing.py::standing_refresh).

    Written when evidence changes; pages read it and never run the estimator. A row exists only for
    a competency with direct evidence (an answer or a rating): without one it is "not assessed yet".
    """

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="estimates")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="estimates")
    proficiency = models.FloatField(help_text="Posterior mean, 0-4, from every source of evidence.")
    spread = models.FloatField(help_text="Posterior standard deviation.")
    answers = models.PositiveSmallIntegerField(default=0, help_text="Answered questions behind it.")
    quiz_proficiency = models.FloatField(null=True, blank=True, help_text="From answers alone (no ratings).")
    quiz_spread = models.FloatField(null=True, blank=True)
    sources = models.CharField(max_length=40, help_text="Which of quiz, self, mentor contributed.")
    # The latest ratings behind it, stored with it so that pages read one row per competency.
    self_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    self_rated_at = models.DateTimeField(null=True, blank=True)
    mentor_rating = models.ForeignKey(
        "MentorRating", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["learner", "competency"], name="one_estimate_per_competency"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.competency} ≈ {self.proficiency:.2f}"


class LearnerActivity(models.Model):
    """When the learner last rated themselves or answered a question (to the minute): written as
    it happens, so the mentor dashboard reads one column instead of searching every mentee's
    ratings and answers (assessments/activity.py)."""

    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="activity"
    )
    last_active_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "learner activity"

    def __str__(self) -> str:
        return f"{self.learner} · {self.last_active_at:%Y-%m-%d %H:%M}"


class LearnerStanding(models.Model):
    """A learner's stored place on the ladder: the probability of each level, overall and per area."""

    learner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="standing")
    level_probabilities = models.JSONField(default=list, help_text="One per level, ladder order; empty: not assessed.")
    area_level_probabilities = models.JSONField(default=dict, help_text="Area id -> one probability per level.")
    computed_at = models.DateTimeField()
    # The measurement (matrix and item parameters) it was estimated with: a recompute after a content
    # change that leaves it the same need not estimate again (evidence changes refresh it at once).
    measured_with = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"Standing of {self.learner}"


class PlacementTest(models.Model):
    """An adaptive placement test ("Find my level"): the server picks each question."""

    class State(models.TextChoices):
        OPEN = "open"
        FINISHED = "finished"

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="placement_tests")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    started_at = models.DateTimeField()
    deadline = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=dict, blank=True, help_text="Level probabilities and per-area estimates.")

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["learner"], condition=Q(state="open"), name="one_open_placement_test"),
            models.CheckConstraint(condition=Q(deadline__gt=F("started_at")), name="placement_deadline_after_start"),
        ]

    def __str__(self) -> str:
        return f"Placement test of {self.learner} · {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class PlacementAnswer(models.Model):
    """One question of a placement test: asked at ``position`` (1-based), answered once, saved at once."""

    test = models.ForeignKey(PlacementTest, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="placement_answers")
    choices = models.ManyToManyField(Choice, related_name="placement_answers")
    correct = models.BooleanField(null=True, help_text="Empty until answered.")
    dont_know = models.BooleanField(default=False, help_text='Answered "I don\'t know yet".')
    asked_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["test", "position"]
        constraints = [
            models.UniqueConstraint(fields=["test", "position"], name="one_placement_question_per_position"),
            models.UniqueConstraint(fields=["test", "question"], name="placement_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.test_id} #{self.position}"


class ProfileCard(models.Model):
    """The learner's shareable, read-only card (level, radar, top skills with their evidence), open
    to anyone with its link while the learner shares it (assessments/profile_card.py)."""

    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="card"
    )
    code = models.CharField(max_length=32, unique=True)
    shared = models.BooleanField(default=False)
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Card of {self.learner} ({'shared' if self.shared else 'private'})"
