from django.contrib import admin, messages
from django.utils import timezone

from .models import Recheck, Roadmap, RoadmapRequest, RoadmapStep
from .requests import roadmap_request, roadmaps_request_all


class RoadmapStepInline(admin.TabularInline):
    model = RoadmapStep
    fields = ["position", "competency", "milestone", "from_proficiency", "to_proficiency", "hours", "status"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["position"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["learner", "status", "version", "target_level", "computed_at"]
    list_filter = ["status", "target_level"]
    search_fields = ["learner__username", "learner__email"]
    list_select_related = ["learner", "target_level"]
    readonly_fields = ["learner", "version", "status", "target_level", "computed_at", "inputs_digest", "error"]
    inlines = [RoadmapStepInline]
    actions = ["recompute_selected", "recompute_everyone"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Recompute the selected roadmaps")
    def recompute_selected(self, request, queryset) -> None:
        now = timezone.now()
        learner_ids = list(queryset.values_list("learner_id", flat=True))
        for learner_id in learner_ids:
            roadmap_request(learner_id=learner_id, reason="admin", now=now)
        self.message_user(request, f"Recomputing {len(learner_ids)} roadmap(s).", messages.SUCCESS)

    @admin.action(description="Recompute everyone's roadmap")
    def recompute_everyone(self, request, queryset) -> None:
        count = roadmaps_request_all(reason="admin: everyone", now=timezone.now())
        self.message_user(request, f"Recomputing {count} roadmap(s) in the background.", messages.SUCCESS)


@admin.register(RoadmapRequest)
class RoadmapRequestAdmin(admin.ModelAdmin):
    list_display = ["learner", "reason", "requested_at", "done_at"]
    list_filter = ["reason", ("done_at", admin.EmptyFieldListFilter)]
    search_fields = ["learner__username"]
    list_select_related = ["learner"]
    date_hierarchy = "requested_at"


@admin.register(Recheck)
class RecheckAdmin(admin.ModelAdmin):
    """Read-only: the life cycle is the beat's and the learner's (roadmap/rechecks.py)."""

    list_display = ["learner", "competency", "state", "interval_days", "due_at", "reminded_at", "right", "asked"]
    list_filter = ["state", "interval_days"]
    search_fields = ["learner__username", "competency__name"]
    list_select_related = ["learner", "competency"]
    date_hierarchy = "due_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
