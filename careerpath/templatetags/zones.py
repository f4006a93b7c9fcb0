"""``{{ attempt.deadline|local_time:"H:i" }}``: "17:04 JST", in the zone the request shows times in."""

from __future__ import annotations

from datetime import datetime

from django import template

from careerpath import zones

register = template.Library()


@register.filter
def local_time(value: datetime | None, format_string: str) -> str:
    return zones.local_time(value, format_string) if value else ""
