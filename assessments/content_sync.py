"""Moving a content bundle in and out of the database.

Import is idempotent and keyed by stable slugs: it updates in place, never duplicates, and never
touches learners' attempts, responses or ratings. Export writes what import reads, so
export -> import -> export is identical. Import adds and updates; it does not delete levels,
competencies or questions missing from the files (it warns about each): removing content is done in
the admin, where learners' answers protect what they used. Choices are the exception: a choice
missing from the file is deleted, or retired (never shown, never correct) if learners chose it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Prefetch

from .content import content_changed
from .content_validation import normalized_text
from .models import Choice, Competency, CompetencyArea, Expectation, Level, Question, Quiz, Resource


@dataclass
class ImportReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    competency_ids: set[int] = field(default_factory=set)

    def count(self, kind: str, created: bool) -> None:
        (self.created if created else self.updated)[kind] += 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.deleted))
        return ", ".join(
            f"{kind}: {self.created[kind]} created, {self.updated[kind]} updated"
            + (f", {self.deleted[kind]} removed" if self.deleted[kind] else "")
            for kind in kinds
        )


def _import_levels(levels: list[dict], report: ImportReport) -> dict[str, Level]:
    # Orders are unique; shift existing ones out of the way so a reordering cannot collide.
    Level.objects.update(order=F("order") + 1000)
    by_slug = {}
    for position, data in enumerate(levels, start=1):
        level, created = Level.objects.update_or_create(
            slug=data["slug"],
            defaults={
                "name": data["name"],
                "order": position,
                "years_min": data.get("years_min") or 0,
                "years_max": data.get("years_max"),
                "summary": data.get("summary", ""),
                "responsibilities": "\n".join(data.get("responsibilities") or []),
            },
        )
        report.count("levels", created)
        by_slug[level.slug] = level
    # Levels not in the files are kept (learners' profiles point at them) after the ladder, and said so.
    for position, level in enumerate(Level.objects.exclude(slug__in=by_slug).order_by("order"), start=len(levels) + 1):
        Level.objects.filter(pk=level.pk).update(order=position)
        report.warnings.append(f"level {level.slug}: not in the files, kept after the ladder; delete it in the admin")
    return by_slug


def _chosen_by_anyone(choice: Choice) -> bool:
    """Some learner picked it: in a quiz, a placement test or a re-check."""
    return choice.responses.exists() or choice.placement_answers.exists() or choice.recheck_answers.exists()


def _import_choices(question: Question, choices: list[dict], report: ImportReport) -> None:
    """Match the file's choices to the stored ones by text, then pair what is left by position among
    choices of the same correctness (a reworded choice). A matched row keeps its id, so learners' recorded answers keep their meaning
    when choices are reordered. A stored choice left over is deleted, or retired if learners chose it."""
    existing = list(question.choices.order_by("order", "id"))
    by_text = {normalized_text(choice.text): choice for choice in existing}
    matched: list[Choice | None] = [by_text.pop(normalized_text(data["text"]), None) for data in choices]
    matched_by_text = {c.pk for c in matched if c}
    unmatched = [choice for choice in existing if choice.pk not in matched_by_text]
    # A reworded choice keeps its row only if it keeps its correctness: a learner's recorded answer
    # must never turn from right to wrong (or back) because texts were swapped around.
    rewordable = [choice for choice in unmatched if not choice.retired]
    for position, choice in enumerate(matched):
        if choice is not None:
            continue
        correct = choices[position].get("correct") is True
        same = next((c for c in rewordable if c.is_correct == correct), None)
        if same is not None:
            rewordable.remove(same)
            matched[position] = same
    paired = {c.pk for c in matched if c}
    new: list[Choice] = []
    for position, (data, choice) in enumerate(zip(choices, matched, strict=True)):
        values = {"text": data["text"], "is_correct": data.get("correct") is True, "order": position, "retired": False}
        if choice is None:
            new.append(Choice(question=question, **values))
            report.count("choices", True)
            continue
        if any(getattr(choice, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(choice, name, value)
            choice.save(update_fields=list(values))
        report.count("choices", False)
    # Created in a shuffled order, so their ids (which the quiz page posts) do not follow the file's
    # order and cannot point at where the author put the key.
    random.Random(question.slug).shuffle(new)  # noqa: S311 - not a secret, only no pattern
    Choice.objects.bulk_create(new)
    for extra in (choice for choice in unmatched if choice.pk not in paired):
        if _chosen_by_anyone(extra):
            # Deleting it would silently change learners' recorded answers: retire it instead.
            if not extra.retired:
                extra.retired, extra.is_correct, extra.order = True, False, len(choices) + extra.order
                extra.save(update_fields=["retired", "is_correct", "order"])
                report.warnings.append(f"question {question.slug}: retired choice {extra.text!r}, learners chose it")
        else:
            extra.delete()
            report.deleted["choices"] += 1


def _import_competency(
    area: CompetencyArea, quiz: Quiz, position: int, data: dict, levels: dict[str, Level], report: ImportReport
) -> Competency:
    competency, created = Competency.objects.update_or_create(
        slug=data["slug"],
        defaults={"area": area, "name": data["name"], "order": position, "description": data.get("description", "")},
    )
    report.count("competencies", created)
    report.competency_ids.add(competency.pk)
    for level_slug, cell in (data.get("expectations") or {}).items():
        _, created = Expectation.objects.update_or_create(
            competency=competency,
            level=levels[level_slug],
            defaults={"proficiency": cell["proficiency"], "description": cell.get("description", "")},
        )
        report.count("expectations", created)
    urls = []
    for resource in data.get("resources") or []:
        urls.append(resource["url"])
        _, created = Resource.objects.update_or_create(
            competency=competency,
            url=resource["url"],
            defaults={
                "title": resource["title"],
                "kind": resource.get("kind", Resource.Kind.DOCUMENTATION),
                "hours": resource["hours"],
                "proficiency": resource["proficiency"],
                "stack": resource.get("stack") or "",
            },
        )
        report.count("resources", created)
    removed, _ = competency.resources.exclude(url__in=urls).delete()
    report.deleted["resources"] += removed
    for order, question_data in enumerate(data.get("questions") or []):
        question, created = Question.objects.update_or_create(
            slug=question_data["slug"],
            defaults={
                "quiz": quiz,
                "competency": competency,
                "kind": question_data["kind"],
                "difficulty": question_data["difficulty"],
                "text": question_data["text"],
                "explanation": question_data.get("explanation", ""),
                "order": order,
            },
        )
        report.count("questions", created)
        _import_choices(question, question_data.get("choices") or [], report)
    slugs = [q["slug"] for q in data.get("questions") or []]
    for slug in competency.questions.exclude(slug__in=slugs).values_list("slug", flat=True):
        report.warnings.append(f"question {slug}: not in the files, kept; delete it in the admin")
    return competency


@transaction.atomic
def content_import(bundle: dict) -> ImportReport:
    """Create or update everything in the bundle. Validate it first (content_validation)."""
    report = ImportReport()
    levels = _import_levels(bundle["levels"], report)
    competencies: dict[str, Competency] = {}
    prerequisites: dict[str, list[str]] = {}
    for area_data in bundle["areas"]:
        area, created = CompetencyArea.objects.update_or_create(
            slug=area_data["slug"],
            defaults={
                "name": area_data["name"],
                "order": area_data.get("order", 0),
                "description": area_data.get("description", ""),
            },
        )
        report.count("areas", created)
        quiz_data = area_data["quiz"]
        quiz, created = Quiz.objects.update_or_create(
            slug=quiz_data["slug"],
            defaults={
                "area": area,
                "title": quiz_data.get("title") or area.name,
                "description": quiz_data.get("description", ""),
                "time_limit_minutes": quiz_data.get("time_limit_minutes"),
                "retake_after_days": quiz_data.get("retake_after_days", 7),
                "is_published": quiz_data.get("published", True) is not False,
            },
        )
        report.count("quizzes", created)
        for position, competency_data in enumerate(area_data.get("competencies") or []):
            competency = _import_competency(area, quiz, position, competency_data, levels, report)
            competencies[competency.slug] = competency
            prerequisites[competency.slug] = competency_data.get("prerequisites") or []
    for slug, required in prerequisites.items():
        competencies[slug].prerequisites.set([competencies[p] for p in required])
    for slug in Competency.objects.exclude(slug__in=competencies).values_list("slug", flat=True):
        report.warnings.append(f"competency {slug}: not in the files, kept; delete it in the admin")
    content_changed()  # bulk updates above send no signals
    return report


def _competency_export(competency: Competency, levels: list[Level]) -> dict:
    cells = {e.level_id: e for e in competency.expectations.all()}
    return {
        "slug": competency.slug,
        "name": competency.name,
        "description": competency.description,
        "prerequisites": sorted(p.slug for p in competency.prerequisites.all()),
        "expectations": {
            level.slug: {"proficiency": cells[level.pk].proficiency, "description": cells[level.pk].description}
            for level in levels
            if level.pk in cells
        },
        "resources": [
            {"title": r.title, "url": r.url, "kind": r.kind, "hours": r.hours, "proficiency": r.proficiency}
            | ({"stack": r.stack} if r.stack else {})
            for r in competency.resources.all()
        ],
        "questions": [
            {
                "slug": q.slug,
                "kind": q.kind,
                "difficulty": q.difficulty,
                "text": q.text,
                "explanation": q.explanation,
                "choices": [{"text": c.text, "correct": c.is_correct} for c in q.choices.all() if not c.retired],
            }
            for q in competency.questions.all()
        ],
    }


def content_export(*, area_ids: list[int] | None = None) -> dict:
    """The database's content as a bundle, in a constant number of queries."""
    levels = list(Level.objects.order_by("order"))
    areas = CompetencyArea.objects.order_by("order", "name").prefetch_related(
        Prefetch("quizzes", queryset=Quiz.objects.order_by("slug")),
        Prefetch(
            "competencies",
            queryset=Competency.objects.order_by("order", "name").prefetch_related(
                Prefetch("prerequisites", queryset=Competency.objects.only("slug")),
                "expectations",
                Prefetch("resources", queryset=Resource.objects.order_by("proficiency", "title", "url")),
                Prefetch(
                    "questions",
                    queryset=Question.objects.order_by("order", "id").prefetch_related(
                        Prefetch("choices", queryset=Choice.objects.order_by("order", "id"))
                    ),
                ),
            ),
        ),
    )
    if area_ids is not None:
        areas = areas.filter(pk__in=area_ids)
    exported = []
    for area in areas:
        quiz = next(iter(area.quizzes.all()), None)
        exported.append(
            {
                "slug": area.slug,
                "name": area.name,
                "order": area.order,
                "description": area.description,
                "quiz": {
                    "slug": quiz.slug if quiz else f"{area.slug}-quiz",
                    "title": quiz.title if quiz else area.name,
                    "description": quiz.description if quiz else "",
                    "time_limit_minutes": quiz.time_limit_minutes if quiz else None,
                    "retake_after_days": quiz.retake_after_days if quiz else 7,
                    "published": quiz.is_published if quiz else True,
                },
                "competencies": [_competency_export(c, levels) for c in area.competencies.all()],
            }
        )
    return {
        "levels": [
            {
                "slug": level.slug,
                "name": level.name,
                "years_min": level.years_min,
                "years_max": level.years_max,
                "summary": level.summary,
                "responsibilities": level.responsibility_list,
            }
            for level in levels
        ],
        "areas": exported,
    }
