"""Statements are prepared once per connection on PostgreSQL (careerpath/settings.py). A prepared
``SELECT *`` fails on that connection once another one (a deploy's migration) adds a column to the
table: "cached plan must not change result type", on every request until the connection closes. So
the statements written out by hand name their columns (careerpath/sql.py)."""

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from careerpath.auth import LayoutUserBackend
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def _migrate(sql: str) -> None:
    """``sql`` from a connection of its own, as a migration run during a deploy."""
    settings = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or None,
        password=settings["PASSWORD"] or None,
    )  # fmt: skip
    with psycopg.connect(conninfo, autocommit=True) as other:
        other.execute(sql)


def test_a_column_added_by_another_connection_does_not_break_the_prepared_user_statement(client):
    assert connection.settings_dict["OPTIONS"].get("server_side_binding") is True
    user = UserFactory(username="ada")
    backend = LayoutUserBackend()
    for _ in range(8):  # past the prepare threshold: the statement is prepared on this connection
        assert backend.get_user(user.pk).username == "ada"
    _migrate("ALTER TABLE auth_user ADD COLUMN added_by_a_deploy integer")
    try:
        assert backend.get_user(user.pk).username == "ada"
        client.force_login(user)
        assert client.get(reverse("dashboard")).status_code == 200
    finally:
        _migrate("ALTER TABLE auth_user DROP COLUMN added_by_a_deploy")
