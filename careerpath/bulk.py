"""Writing many rows at once, for the recompute of a chunk of learners (roadmap/compute.py).

Django's ``bulk_create`` and ``bulk_update`` spend about 100 µs a row in Python (each value prepared
by its field, ``CASE WHEN`` per field for updates): for a chunk of 100 learners' 6,000 roadmap steps
that was most of a second. These write plain values: inserts with COPY on PostgreSQL, updates with one
``executemany`` (which psycopg 3 sends as a pipeline), preparing only the values that need it
(dates and JSON); SQLite (``make run``) takes the same calls.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from functools import partial

from django.db import connection, models


def _preparers(model: type[models.Model], fields: Sequence[str]) -> list[Callable | None]:
    preparers: list[Callable | None] = []
    for name in fields:
        field = model._meta.get_field(name)
        needs = isinstance(field, models.DateTimeField | models.DateField | models.JSONField)
        preparers.append(partial(field.get_db_prep_save, connection=connection) if needs else None)
    return preparers


def _prepared(rows: Iterable[Sequence], preparers: list[Callable | None]) -> list[list]:
    return [
        [
            value if prepare is None or value is None else prepare(value)
            for value, prepare in zip(row, preparers, strict=True)
        ]
        for row in rows
    ]


def _columns(model: type[models.Model], fields: Sequence[str]) -> list[str]:
    return [connection.ops.quote_name(model._meta.get_field(name).column) for name in fields]


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> None:
    """INSERT ``rows`` (values in the order of ``fields``, model field names) into the model's table:
    one COPY on PostgreSQL (parsed once, not once a row), one ``executemany`` on SQLite."""
    if not rows:
        return
    columns = ", ".join(_columns(model, fields))
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            as_json = [isinstance(model._meta.get_field(name), models.JSONField) for name in fields]
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(
                        [json.dumps(value) if is_json else value for value, is_json in zip(row, as_json, strict=True)]
                    )
            return
        placeholders = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 - names from model metadata, values as parameters
        cursor.executemany(sql, _prepared(rows, _preparers(model, fields)))


def update_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> None:
    """UPDATE each row by primary key: ``rows`` hold the values of ``fields``, then the key."""
    if not rows:
        return
    assignments = ", ".join(f"{column} = %s" for column in _columns(model, fields))
    table, key = connection.ops.quote_name(model._meta.db_table), connection.ops.quote_name(model._meta.pk.column)
    preparers = [*_preparers(model, fields), None]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {key} = %s", _prepared(rows, preparers))  # noqa: S608 - names from model metadata, values as parameters


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys for rows about to be inserted (inside the caller's transaction)."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, model._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: one writer at a time, and this transaction is it.
        cursor.execute(f"SELECT COALESCE(MAX({model._meta.pk.column}), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from model metadata, values as parameters
        start = cursor.fetchone()[0] + 1
    return list(range(start, start + count))


def delete_where_in(model: type[models.Model], field: str, values: Sequence) -> None:
    """DELETE the rows whose ``field`` is one of ``values``, in one statement (no cascade collection:
    the caller deletes dependent rows first)."""
    if not values:
        return
    column = _columns(model, [field])[0]
    placeholders = ", ".join(["%s"] * len(values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {column} IN ({placeholders})",  # noqa: S608 - names from model metadata, values as parameters
            list(values),
        )
