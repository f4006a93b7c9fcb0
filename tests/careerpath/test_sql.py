"""The helpers for statements written out by hand."""


def test_an_extra_time_column_is_aware_whichever_database_gave_it():
    from datetime import UTC, datetime

    from careerpath.sql import extra_datetime

    aware = datetime(2026, 12, 1, 13, 0, 0, 123456, tzinfo=UTC)
    assert extra_datetime("2026-12-01 13:00:00.123456") == aware  # SQLite: text in UTC
    assert extra_datetime(datetime(2026, 12, 1, 13, 0, 0, 123456)) == aware
    assert extra_datetime(aware) is aware and extra_datetime(None) is None
