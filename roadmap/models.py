"""A learner's roadmap: the ordered steps from where they are to their target level."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from assessments.models import Choice, Competency, Level, Question, proficiency_validators


class RoadmapRequestQuerySet(models.QuerySet):
    def pending(self) -> RoadmapRequestQuerySet:
        return self.filter(done_at__isnull=True)


class RoadmapRequest(models.Model):
    """A recompute asked for, written before anything is sent to the broker.

    The job marks it done; a periodic sweep re-sends whatever is still pending, so a request made
    while Redis is down, or lost with a dead worker, is completed anyway.
    """

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roadmap_requests")
    reason = models.CharField(max_length=60)
    requested_at = models.DateTimeField(db_index=True)
    done_at = models.DateTimeField(null=True, blank=True)

    objects = RoadmapRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        indexes = [
            models.Index(fields=["learner"], condition=Q(done_at__isnull=True), name="roadmap_request_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} · {self.reason} · {'done' if self.done_at else 'pending'}"


FINISHED = ("done", "skipped")


def progress_counted() -> dict:
    """The roadmap's stored progress counted again from its steps, as ``update()`` expressions."""
    learning = RoadmapStep.objects.filter(roadmap_id=OuterRef("pk"), kind=RoadmapStep.Kind.LEARN).values("roadmap_id")
    finished = learning.filter(status__in=FINISHED)
    return {
        "steps_total": Coalesce(Subquery(learning.annotate(n=Count("id")).values("n")), 0),
        "steps_finished": Coalesce(Subquery(finished.annotate(n=Count("id")).values("n")), 0),
        "hours_left": Coalesce(Subquery(learning.exclude(status__in=FINISHED).annotate(h=Sum("hours")).values("h")), 0),
    }


class RoadmapQuerySet(models.QuerySet):
    def revise(self, **fields) -> int:
        """Record a change the roadmap page shows that is not a new version (a step's status or
        note, a comment): the page's cached fragment is keyed on ``revision``."""
        return self.update(revision=F("revision") + 1, **fields)


class Roadmap(models.Model):
    class Status(models.TextChoices):
        COMPUTING = "computing"
        READY = "ready"
        FAILED = "failed"

    learner = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roadmap")
    version = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPUTING)
    target_level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    computed_at = models.DateTimeField(null=True, blank=True)
    inputs_digest = models.CharField(max_length=64, blank=True, help_text="Same inputs, same plan: no new version.")
    plan_digest = models.CharField(max_length=64, blank=True, help_text="The same plan again is no new version.")
    error = models.TextField(blank=True)
    # Bumped by every change the roadmap page shows that is not a new version (a step's status or
    # note, a comment): the page's rendered fragment is cached under version, status and revision.
    revision = models.PositiveIntegerField(default=0)
    # Computed by the job with the plan, so the mentor dashboard reads them without recomputing.
    measured_level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    overconfident = models.PositiveSmallIntegerField(default=0, help_text="Self-rating ≥ 2 above the quiz estimate.")
    underconfident = models.PositiveSmallIntegerField(default=0, help_text="Self-rating ≥ 2 below the quiz estimate.")
    last_moved_at = models.DateTimeField(
        null=True, blank=True, help_text="When the learner last changed a step's status (kept when the step goes)."
    )
    # The learning steps' progress, written with the steps (a recompute, a status change), so the
    # mentor dashboard reads columns instead of counting every mentee's steps per request.
    steps_total = models.PositiveIntegerField(default=0)
    steps_finished = models.PositiveIntegerField(default=0, help_text="Done or skipped.")
    hours_left = models.PositiveIntegerField(default=0, help_text="Hours of the steps to do or doing.")
    first_step_added_at = models.DateTimeField(null=True, blank=True, help_text="When the oldest step arrived.")

    objects = RoadmapQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Roadmap of {self.learner} v{self.version} ({self.status})"

    def mark_computing(self) -> None:
        self.status = self.Status.COMPUTING
        self.save(update_fields=["status"])

    def mark_failed(self, *, error: str) -> None:
        self.status = self.Status.FAILED
        self.error = error[:2000]
        self.save(update_fields=["status", "error"])


class RoadmapStep(models.Model):
    class Status(models.TextChoices):
        TODO = "todo", "To do"
        DOING = "doing", "Doing"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Skipped"

    class Kind(models.TextChoices):
        LEARN = "learn", "Learn"
        FIND_OUT = "assess", "Find out"  # not assessed yet: a quiz or a self-rating first

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="steps")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    milestone = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    from_proficiency = models.PositiveSmallIntegerField(validators=proficiency_validators)
    to_proficiency = models.PositiveSmallIntegerField(validators=proficiency_validators)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LEARN)
    hours = models.PositiveSmallIntegerField(help_text="Expected hours (roadmap/planner.py::step_hours).")
    hours_low = models.PositiveSmallIntegerField(default=0)
    hours_high = models.PositiveSmallIntegerField(default=0)
    why = models.TextField()
    # The planned resources' ids, in the plan's order; pages resolve them from the content copy each
    # process holds (roadmap.compute.planner_matrix), so a recompute writes one row per step.
    resource_ids = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.TODO)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    note_shared = models.BooleanField(default=False, help_text="Mentors see the note only when the learner shares it.")
    # Links the learner added beside their note: [{"url": ..., "title": ...}], shown in order.
    links = models.JSONField(default=list, blank=True)
    added_at = models.DateTimeField(default=timezone.now, help_text="When this step first entered the roadmap.")

    class Meta:
        ordering = ["roadmap", "position"]
        constraints = [
            # One step per competency and milestone: a competency growing over several levels has a
            # step in each (staged milestones).
            models.UniqueConstraint(fields=["roadmap", "competency", "milestone"], name="one_step_per_stage"),
            models.CheckConstraint(
                condition=Q(kind="assess") | Q(to_proficiency__gt=models.F("from_proficiency")),
                name="step_closes_a_gap",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency} {self.from_proficiency}→{self.to_proficiency}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.TODO, self.Status.DOING)

    @property
    def finds_out(self) -> bool:
        return self.kind == self.Kind.FIND_OUT

    def set_status(self, status: str, *, now: datetime) -> None:
        self.status = status
        self.status_changed_at = now
        self.save(update_fields=["status", "status_changed_at"])
        Roadmap.objects.filter(pk=self.roadmap_id).revise(last_moved_at=now, **progress_counted())

    def reopen(self, *, why: str, now: datetime) -> None:
        """Open a finished step again (a failed re-check), saying why at the end of its note. Not a
        move by the learner: ``last_moved_at`` stays."""
        self.status = self.Status.DOING
        self.status_changed_at = now
        self.note = f"{self.note}\n\n{why}".strip()
        self.save(update_fields=["status", "status_changed_at", "note"])
        Roadmap.objects.filter(pk=self.roadmap_id).revise(**progress_counted())

    def set_note(self, note: str, *, shared: bool) -> None:
        self.note, self.note_shared = note, shared
        self.save(update_fields=["note", "note_shared"])
        Roadmap.objects.filter(pk=self.roadmap_id).revise()

    MAX_LINKS = 20

    def link_add(self, *, url: str, title: str) -> None:
        self.links = [*self.links, {"url": url, "title": title}]
        self.save(update_fields=["links"])
        Roadmap.objects.filter(pk=self.roadmap_id).revise()

    def link_remove(self, number: int) -> bool:
        """Remove the ``number``-th link (1-based, as the page numbers them); False if there is none."""
        if not 1 <= number <= len(self.links):
            return False
        self.links = [link for n, link in enumerate(self.links, 1) if n != number]
        self.save(update_fields=["links"])
        Roadmap.objects.filter(pk=self.roadmap_id).revise()
        return True


class Comment(models.Model):
    """A message in the thread between a learner and their mentors about one competency (and its step)."""

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_threads")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments_written")
    body = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["learner", "competency", "created_at"], name="comment_thread")]

    def __str__(self) -> str:
        return f"{self.author} on {self.competency} for {self.learner}"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A notification that a burst of changes keeps updating ("your roadmap is ready") is emailed by
    # the periodic job once this passes, each update pushing it on: one email per burst.
    email_after = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
            models.Index(fields=["email_after"], condition=Q(emailed_at__isnull=True), name="notification_email_due"),
        ]

    def __str__(self) -> str:
        return f"To {self.recipient}: {self.message}"


class RecheckQuerySet(models.QuerySet):
    def active(self) -> RecheckQuerySet:
        return self.filter(state__in=Recheck.ACTIVE)

    def due(self, *, now: datetime) -> RecheckQuerySet:
        return self.filter(state=Recheck.State.SCHEDULED, due_at__lte=now)


class Recheck(models.Model):
    """A competency the learner finished (a step marked done) or was measured to meet, asked about
    again after a spacing interval (roadmap/rechecks.py): scheduled → open (due, reminded once) →
    passed (the next, longer interval is scheduled) or failed (the step is reopened)."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled"
        OPEN = "open", "Due"
        PASSED = "passed"
        FAILED = "failed"

    ACTIVE = (State.SCHEDULED, State.OPEN)

    learner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rechecks")
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="+")
    # The step that was marked done, reopened if the re-check fails; empty when the standing said the
    # competency is met, or once a recompute removed the step.
    step = models.ForeignKey(RoadmapStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="rechecks")
    proficiency = models.PositiveSmallIntegerField(
        validators=proficiency_validators, help_text="The proficiency to hold: questions are picked near it."
    )
    interval_days = models.PositiveSmallIntegerField(help_text="Days from scheduling to due: 30, 90, 180.")
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    scheduled_at = models.DateTimeField()
    due_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="Set once, with the reminder.")
    finished_at = models.DateTimeField(null=True, blank=True)
    right = models.PositiveSmallIntegerField(null=True, blank=True)
    asked = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = RecheckQuerySet.as_manager()

    class Meta:
        ordering = ["due_at", "id"]
        constraints = [
            # Two schedules at once (a step marked done while the standing says met) converge on one.
            models.UniqueConstraint(
                fields=["learner", "competency"],
                condition=Q(state__in=["scheduled", "open"]),
                name="one_active_recheck_per_competency",
            ),
            models.CheckConstraint(condition=Q(due_at__gt=F("scheduled_at")), name="recheck_due_after_scheduling"),
            models.CheckConstraint(
                condition=Q(state__in=["passed", "failed"], finished_at__isnull=False)
                | Q(state__in=["scheduled", "open"], finished_at__isnull=True),
                name="recheck_finished_when_decided",
            ),
        ]
        indexes = [models.Index(fields=["due_at"], condition=Q(state="scheduled"), name="recheck_scheduled_due")]

    def __str__(self) -> str:
        return f"Re-check of {self.competency} for {self.learner} · {self.state}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_finished(self) -> bool:
        return self.state in (self.State.PASSED, self.State.FAILED)


class RecheckAnswer(models.Model):
    """One question of a re-check, chosen when it falls due; saved the moment it is answered."""

    recheck = models.ForeignKey(Recheck, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="recheck_answers")
    choices = models.ManyToManyField(Choice, related_name="recheck_answers")
    correct = models.BooleanField(null=True, help_text="Empty until answered; never sent before submission.")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["recheck", "position"]
        constraints = [
            models.UniqueConstraint(fields=["recheck", "position"], name="one_recheck_question_per_position"),
            models.UniqueConstraint(fields=["recheck", "question"], name="recheck_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recheck_id} #{self.position}"
