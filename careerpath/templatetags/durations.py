from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def in_words(duration: timedelta | None) -> str:
    """15 minutes, 1 hour, 2 hours 30 minutes: a timedelta as a person says it."""
    if not isinstance(duration, timedelta):
        return "a few minutes"
    minutes = max(1, round(duration.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
