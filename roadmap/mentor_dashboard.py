"""The mentor's table of mentees: progress, last activity and flags, sorted, filtered and paged in the database.

Every column is one stored with the mentee's roadmap (measured level, confidence gaps, progress and
hours, written by the job and by status changes) or activity (written as it happens), so the page
runs the same statements, with no per-mentee subquery, for 10 mentees or 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from assessments.models import Mentorship

INACTIVE_AFTER = timedelta(days=14)
STALLED_AFTER = timedelta(days=30)
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)

SORTS = {
    "name": "username",
    "level": "level_order",
    "target": "target_order",
    "progress": "progress",
    "hours": "hours_left",
    "activity": "last_activity",
}
FLAGS = {
    "inactive": "Inactive for 14 days",
    "overconfident": "Rates above quiz results",
    "underconfident": "Rates below quiz results",
    "stalled": "Roadmap not moved in 30 days",
}


@dataclass(frozen=True)
class DashboardQuery:
    sort: str = "activity"
    descending: bool = False
    flag: str = ""
    search: str = ""

    @classmethod
    def from_params(cls, params) -> DashboardQuery:
        sort = params.get("sort", "activity")
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        return cls(
            sort=sort if sort in SORTS else "activity",
            descending=descending,
            flag=params.get("flag", "") if params.get("flag", "") in {*FLAGS, "any"} else "",
            search=params.get("q", "").replace("\x00", "").strip()[:100],
        )


def mentees(*, mentor, now: datetime, query: DashboardQuery = DashboardQuery()) -> QuerySet:
    last_activity = Greatest(
        Coalesce(F("last_login"), Value(EPOCH)),
        Coalesce(F("activity__last_active_at"), Value(EPOCH)),
        Coalesce(F("roadmap__last_moved_at"), Value(EPOCH)),
        output_field=DateTimeField(),
    )
    rows = (
        get_user_model()
        .objects.filter(
            pk__in=Mentorship.objects.active().filter(mentor=mentor).values("learner_id"),
        )
        .select_related("profile__target_level", "roadmap__measured_level")
        .annotate(
            steps_total=Coalesce(F("roadmap__steps_total"), 0),
            steps_finished=Coalesce(F("roadmap__steps_finished"), 0),
            hours_left=Coalesce(F("roadmap__hours_left"), 0),
            last_activity=last_activity,
            # Moved = the learner changed a step's status (remembered even when a recompute drops
            # the step); never moved counts from when the oldest step arrived (a recompute after a
            # content change is not the learner moving).
            last_move=Coalesce(F("roadmap__last_moved_at"), F("roadmap__first_step_added_at")),
            level_order=F("roadmap__measured_level__order"),
            target_order=F("profile__target_level__order"),
        )
        .annotate(
            progress=ExpressionWrapper(
                F("steps_finished") * 100 / Greatest(F("steps_total"), 1), output_field=IntegerField()
            ),
            flag_inactive=ExpressionWrapper(Q(last_activity__lt=now - INACTIVE_AFTER), output_field=BooleanField()),
            flag_overconfident=ExpressionWrapper(Q(roadmap__overconfident__gt=0), output_field=BooleanField()),
            flag_underconfident=ExpressionWrapper(Q(roadmap__underconfident__gt=0), output_field=BooleanField()),
            flag_stalled=ExpressionWrapper(
                Q(last_move__lt=now - STALLED_AFTER) & Q(hours_left__gt=0), output_field=BooleanField()
            ),
        )
    )
    if query.search:
        rows = rows.filter(username__icontains=query.search)  # only what the page shows: no email probing
    if query.flag == "any":
        rows = rows.filter(
            Q(flag_inactive=True) | Q(flag_overconfident=True) | Q(flag_underconfident=True) | Q(flag_stalled=True)
        )
    elif query.flag:
        rows = rows.filter(**{f"flag_{query.flag}": True})
    order = F(SORTS[query.sort])
    order = order.desc(nulls_last=True) if query.descending else order.asc(nulls_last=True)
    return rows.order_by(order, "username")


def flags_of(row) -> list[str]:
    return [label for key, label in FLAGS.items() if getattr(row, f"flag_{key}", False)]
