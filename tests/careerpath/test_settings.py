import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "careerpath.example.com",
    "DATABASE_URL": "postgres://careerpath@db.example.com:5432/careerpath",
    "CELERY_BROKER_URL": "redis://redis.example.com:6379/0",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _manage("check", env={**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(("debug", "backend"), [("0", "smtp"), ("1", "console")])
def test_mail_goes_by_smtp_in_production_and_to_the_console_in_development(debug, backend):
    env = {**PRODUCTION, "DEBUG": debug}
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.EMAIL_BACKEND)", env=env)
    assert result.stdout.strip().splitlines()[-1] == f"django.core.mail.backends.{backend}.EmailBackend", result.stderr


@pytest.mark.django_db
def test_the_suite_runs_on_the_configured_database():
    # `make test` points DATABASE_URL at PostgreSQL; this line in the output shows which one ran.
    print(f"database vendor: {connection.vendor}")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        assert connection.vendor == "postgresql"
