"""Helpers for the few statements written out by hand (each says why: the ORM took longer to build
them than the database to run them)."""

from __future__ import annotations

import functools
from datetime import UTC, datetime

from django.db import models
from django.utils.dateparse import parse_datetime


@functools.cache
def columns(model: type[models.Model], alias: str) -> str:
    """The model's columns by name, as ``alias."column", ...``. Statements are prepared once per
    connection on PostgreSQL, and a prepared ``SELECT *`` fails once a migration adds a column
    ("cached plan must not change result type") until the connection closes; named columns do not."""
    return ", ".join(f'{alias}."{field.column}"' for field in model._meta.concrete_fields)


def written_out(sql: str, **models_by_alias: type[models.Model]) -> str:
    """``sql`` with each ``{alias.*}`` replaced by that model's columns (``columns``)."""
    for alias, model in models_by_alias.items():
        sql = sql.replace(f"{{{alias}.*}}", columns(model, alias))
    return sql


def first_row(model: type[models.Model], sql: str, params: list, *, using: str = "default", **models_by_alias):
    """The first row of a written-out statement (``written_out`` with ``models_by_alias``) as a
    ``model`` instance, its extra columns as attributes; None when there is none."""
    return next(iter(model.objects.using(using).raw(written_out(sql, **models_by_alias), params)), None)


def extra_datetime(value: datetime | str | None) -> datetime | None:
    """A time read as an extra column of a written-out statement, which Django does not convert:
    PostgreSQL gives it aware, SQLite (``make run``) as text in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value
