"""The learner's time zone: the names accepted, the zone a signed-in user is known to be in (read
with the user: careerpath/auth.py, no query of its own) and a time printed with its zone."""

from __future__ import annotations

import functools
import zoneinfo
from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone

# Listed by zoneinfo on some systems, but no place a learner is: the server's own zone, and tzdata's
# placeholder for "unknown" (whose abbreviation is "-00").
NOT_PLACES = frozenset({"localtime", "Factory"})


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA names a profile accepts (reading them takes 0.2 s: once per process)."""
    return frozenset(zoneinfo.available_timezones() - NOT_PLACES)


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(time_zone_names())]


def time_zone_validate(name: str) -> None:
    if name and name not in time_zone_names():
        raise ValidationError(
            "“%(name)s” is not a time zone we know. Pick one from the list, such as Europe/Berlin.",
            code="unknown_time_zone",
            params={"name": name[:64]},
        )


def time_zone_of(user) -> str | None:
    """The zone of ``user``'s profile as read with the user ("" not known yet), or None when no
    profile came with the user (anonymous, an account without one): never a query."""
    related = get_user_model().profile.related
    if not getattr(user, "is_authenticated", False) or not related.is_cached(user):
        return None
    profile = related.get_cached_value(user)
    return profile.time_zone if profile is not None else None


def zone_info(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone named, or None for none or a name this server's tzdata no longer has."""
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def local_time(value: datetime, format_string: str) -> str:
    """``value`` in the current zone, formatted, then the zone: "17:04 JST". A zone whose only
    abbreviation is an offset ("+04") is named instead ("17:04 Asia/Dubai")."""
    local = timezone.localtime(value)
    abbreviation = local.tzname() or ""
    label = abbreviation if abbreviation.isalpha() else str(local.tzinfo)
    return f"{dateformat.format(local, format_string)} {label}"
