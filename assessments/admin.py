import io
import zipfile

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from roadmap.requests import roadmaps_request_all

from .calibration_jobs import questions_recalibrate
from .content import question_params
from .content_files import area_filename, yaml_dump
from .content_sync import content_export
from .measurement.calibration import FLAGS
from .models import (
    Attempt,
    Choice,
    Competency,
    CompetencyArea,
    Expectation,
    LearnerProfile,
    Level,
    MentorRating,
    Mentorship,
    Question,
    Quiz,
    Resource,
    Response,
    SelfRating,
)

# What learners see rendered as Markdown (careerpath/markdown.py); the admin says so under each field.
MARKDOWN_FIELDS = {
    (Level, "summary"),
    (CompetencyArea, "description"),
    (Competency, "description"),
    (Expectation, "description"),
    (Quiz, "description"),
    (Question, "text"),
    (Question, "explanation"),
    (Choice, "text"),
}
MARKDOWN_HELP = (
    "Markdown: `code`, code blocks between ``` lines, *emphasis*, **strong**, [links](https://…), lists and"
    " quotes; HTML is shown as typed."
)


class MarkdownHelp:
    """Adds MARKDOWN_HELP to the help text of the content fields shown as Markdown."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and (db_field.model, db_field.name) in MARKDOWN_FIELDS:
            field.help_text = f"{field.help_text} {MARKDOWN_HELP}".strip()
        return field


class ContentAdmin(MarkdownHelp, admin.ModelAdmin):
    """Content that shapes roadmaps: after a save or delete, recompute the learners' roadmaps."""

    def _content_changed(self, request) -> None:
        transaction.on_commit(
            lambda: roadmaps_request_all(reason=f"content: {self.model._meta.verbose_name}", now=timezone.now())
        )

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        self._content_changed(request)

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        self._content_changed(request)

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        self._content_changed(request)


@admin.register(Level)
class LevelAdmin(ContentAdmin):
    list_display = ["order", "name", "slug", "years_min", "years_max"]
    list_display_links = ["name"]
    search_fields = ["name", "slug", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order"]


class CompetencyInline(admin.TabularInline):
    model = Competency
    fields = ["order", "name", "slug"]
    show_change_link = True
    extra = 0


@admin.register(CompetencyArea)
class CompetencyAreaAdmin(ContentAdmin):
    list_display = ["order", "name", "slug", "competency_count"]
    list_display_links = ["name"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    ordering = ["order"]
    inlines = [CompetencyInline]
    actions = ["export_selected"]

    @admin.action(description="Export selected areas as YAML content files")
    def export_selected(self, request, queryset) -> HttpResponse:
        bundle = content_export(area_ids=list(queryset.values_list("pk", flat=True)))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("levels.yaml", yaml_dump({"levels": bundle["levels"]}))
            for area in bundle["areas"]:
                archive.writestr(f"areas/{area_filename(area)}", yaml_dump(area))
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="careerpath-content.zip"'
        return response

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_competencies=Count("competencies"))

    @admin.display(description="Competencies", ordering="_competencies")
    def competency_count(self, obj: CompetencyArea) -> int:
        return obj._competencies


class ExpectationInline(MarkdownHelp, admin.TabularInline):
    model = Expectation
    fields = ["level", "proficiency", "description"]
    ordering = ["level__order"]
    extra = 0
    autocomplete_fields = ["level"]


# Content URLs are https; say so rather than let Django guess the scheme.
URL_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ResourceInline(admin.TabularInline):
    model = Resource
    formfield_overrides = URL_HTTPS
    fields = ["title", "url", "kind", "hours", "proficiency"]
    extra = 0


@admin.register(Competency)
class CompetencyAdmin(ContentAdmin):
    list_display = ["name", "slug", "area", "order"]
    list_filter = ["area"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["area", "prerequisites"]
    list_select_related = ["area"]
    ordering = ["area__order", "order", "name"]
    inlines = [ExpectationInline, ResourceInline]


@admin.register(Expectation)
class ExpectationAdmin(ContentAdmin):
    list_display = ["competency", "level", "proficiency"]
    list_filter = ["level", "proficiency", "competency__area"]
    search_fields = ["competency__name", "description"]
    autocomplete_fields = ["competency", "level"]
    list_select_related = ["competency", "level"]
    ordering = ["competency__area__order", "competency__order", "level__order"]


@admin.register(Resource)
class ResourceAdmin(ContentAdmin):
    formfield_overrides = URL_HTTPS
    list_display = ["title", "competency", "kind", "hours", "proficiency"]
    list_filter = ["kind", "proficiency", "competency__area"]
    search_fields = ["title", "url", "competency__name"]
    autocomplete_fields = ["competency"]
    list_select_related = ["competency"]


class ChoiceFormSet(BaseInlineFormSet):
    """The same rules as validate_content, in the admin: a key, one only on single choice, and no
    deleting a choice learners chose (retire it instead, so their recorded answers keep their meaning)."""

    def clean(self) -> None:
        super().clean()
        live = []
        for form in self.forms:
            if not getattr(form, "cleaned_data", None):
                continue
            if form.cleaned_data.get("DELETE"):
                if form.instance.pk and form.instance.responses.exists():
                    raise ValidationError(
                        f"Learners chose {form.instance.text!r}: tick 'retired' instead of deleting it."
                    )
                continue
            if form.cleaned_data.get("retired"):
                if form.cleaned_data.get("is_correct"):
                    raise ValidationError(f"A retired choice cannot be correct: {form.cleaned_data['text']!r}.")
                continue
            live.append(form.cleaned_data)
        correct = sum(1 for data in live if data.get("is_correct"))
        if len(live) < 2:
            raise ValidationError("A question needs at least two choices that are not retired.")
        if correct == 0:
            raise ValidationError("Mark at least one choice correct.")
        if self.instance.kind == Question.Kind.SINGLE and correct > 1:
            raise ValidationError(f"A single-choice question has exactly one correct choice, not {correct}.")


class ChoiceInline(MarkdownHelp, admin.TabularInline):
    model = Choice
    formset = ChoiceFormSet
    fields = ["order", "text", "is_correct", "retired"]
    extra = 0


@admin.register(Quiz)
class QuizAdmin(ContentAdmin):
    list_display = ["title", "area", "time_limit_minutes", "retake_after_days", "is_published"]
    list_filter = ["is_published", "area"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["area"]
    list_select_related = ["area"]
    ordering = ["area__order", "title"]


class ItemFlagFilter(admin.SimpleListFilter):
    """Questions carrying one item-analysis flag (``Question.flags`` is comma separated)."""

    title = "item-analysis flag"
    parameter_name = "flag"

    def lookups(self, request, model_admin):
        return [(flag, flag) for flag in FLAGS]

    def queryset(self, request, queryset):
        flag = self.value()
        if flag not in FLAGS:
            return queryset
        return queryset.filter(
            Q(flags=flag)
            | Q(flags__startswith=f"{flag},")
            | Q(flags__endswith=f",{flag}")
            | Q(flags__contains=f",{flag},")
        )


@admin.register(Question)
class QuestionAdmin(ContentAdmin):
    list_display = [
        "short_text",
        "competency",
        "quiz",
        "kind",
        "difficulty",
        "facility_shown",
        "discrimination_shown",
        "answer_count",
        "flag_list",
        "item_parameters",
    ]
    list_filter = [ItemFlagFilter, "kind", "difficulty", "quiz", "competency__area"]
    search_fields = ["text", "slug", "competency__name"]
    autocomplete_fields = ["quiz", "competency"]
    list_select_related = ["competency", "quiz"]
    inlines = [ChoiceInline]
    actions = ["recalibrate_selected", "recalibrate_all"]
    # The calibration job owns these figures (assessments/calibration_jobs.py); they are shown, not edited.
    readonly_fields = [
        "item_parameters",
        "facility_shown",
        "discrimination_shown",
        "answer_count",
        "flag_list",
        "choice_share_table",
        "analysed_at",
    ]
    fieldsets = [
        (None, {"fields": ["quiz", "competency", "slug", "kind", "difficulty", "text", "explanation", "order"]}),
        ("Item analysis (from learners' answers)", {"fields": readonly_fields}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_live_choices=Count("choices", filter=Q(choices__retired=False)))

    @admin.display(description="Question", ordering="text")
    def short_text(self, obj: Question) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:87] + "…"

    @admin.display(description="Facility", ordering="facility")
    def facility_shown(self, obj: Question) -> str:
        return "–" if obj.facility is None else f"{obj.facility:.0%} right"

    @admin.display(description="Discrimination index", ordering="discrimination_index")
    def discrimination_shown(self, obj: Question) -> str:
        return "–" if obj.discrimination_index is None else f"{obj.discrimination_index:.2f}"

    @admin.display(description="Flags", ordering="flags")
    def flag_list(self, obj: Question) -> str:
        return obj.flags.replace(",", ", ") or "–"

    @admin.display(description="Item parameters")
    def item_parameters(self, obj: Question) -> str:
        if obj.pk is None:
            return "authored prior, from the difficulty label"
        choices = getattr(obj, "_live_choices", None)
        if choices is None:
            choices = obj.choices.filter(retired=False).count()
        a, b, c = question_params(obj, choices)
        source = f"calibrated from {obj.irt_answers} answers" if obj.is_calibrated else "authored prior"
        return f"a {a:.2f} · b {b:.2f} · c {c:.2f} ({source})"

    @admin.display(description="Choices picked")
    def choice_share_table(self, obj: Question) -> str:
        if obj.pk is None or not obj.answer_count:
            return "No answers analysed yet."
        rows = [
            (
                choice.text,
                "right" if choice.is_correct else "retired" if choice.retired else "wrong",
                f"{obj.choice_shares.get(str(choice.pk), 0.0):.0%}",
            )
            for choice in obj.choices.order_by("order", "id")
        ]
        body = format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows)
        return format_html(
            "<table><thead><tr><th>Choice</th><th></th><th>Picked by</th></tr></thead><tbody>{}</tbody></table>"
            "<p>Share of {} answers; a multiple-choice answer picks several.</p>",
            body,
            obj.answer_count,
        )

    def _recalibrated(self, request, question_ids: list[int] | None) -> None:
        changed = questions_recalibrate(now=timezone.now(), question_ids=question_ids)
        analysed = len(question_ids) if question_ids is not None else Question.objects.count()
        self.message_user(
            request, f"Analysed {analysed} question(s); {changed} with new item parameters.", messages.SUCCESS
        )

    @admin.action(description="Recalibrate the selected questions now")
    def recalibrate_selected(self, request, queryset) -> None:
        self._recalibrated(request, list(queryset.values_list("pk", flat=True)))

    @admin.action(description="Recalibrate every question now")
    def recalibrate_all(self, request, queryset) -> None:
        self._recalibrated(request, None)


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["learner", "quiz", "state", "started_at", "submitted_at", "score"]
    list_filter = ["state", "quiz"]
    search_fields = ["learner__username", "quiz__title"]
    autocomplete_fields = ["learner", "quiz"]
    list_select_related = ["learner", "quiz"]
    date_hierarchy = "started_at"


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["attempt", "question", "answered_at"]
    search_fields = ["attempt__learner__username", "question__text"]
    autocomplete_fields = ["attempt", "question"]
    list_select_related = ["attempt__learner", "attempt__quiz", "question"]
    filter_horizontal = ["choices"]


@admin.register(SelfRating)
class SelfRatingAdmin(admin.ModelAdmin):
    list_display = ["learner", "competency", "proficiency", "rated_at"]
    list_filter = ["proficiency", "competency__area"]
    search_fields = ["learner__username", "competency__name"]
    autocomplete_fields = ["learner", "competency"]
    list_select_related = ["learner", "competency"]


@admin.register(LearnerProfile)
class LearnerProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "current_role", "years_experience", "current_level", "target_level"]
    list_filter = ["current_level", "target_level"]
    search_fields = ["user__username", "user__email", "current_role"]
    autocomplete_fields = ["user", "current_level", "target_level"]
    list_select_related = ["user", "current_level", "target_level"]


@admin.register(Mentorship)
class MentorshipAdmin(admin.ModelAdmin):
    list_display = ["mentor", "learner", "active", "started_at", "ended_at"]
    list_filter = ["active"]
    search_fields = ["mentor__username", "learner__username"]
    autocomplete_fields = ["mentor", "learner"]
    list_select_related = ["mentor", "learner"]


@admin.register(MentorRating)
class MentorRatingAdmin(admin.ModelAdmin):
    list_display = ["learner", "competency", "proficiency", "mentor", "rated_at"]
    list_filter = ["proficiency", "competency__area"]
    search_fields = ["learner__username", "mentor__username", "competency__name", "note"]
    autocomplete_fields = ["learner", "mentor", "competency"]
    list_select_related = ["learner", "mentor", "competency"]
    formfield_overrides = URL_HTTPS
