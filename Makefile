# CareerPath — two commands: `make run` (embedded: SQLite, eager Celery) and `make test` (real services).
PYTHON ?= python3.11
# Development and tests run with DEBUG on, said here explicitly: the settings fail closed without it.
export DEBUG ?= 1
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The test suite's services. Tests use their own database name and Redis database index.
TEST_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/careerpath \
	CELERY_BROKER_URL=redis://127.0.0.1:6379/13 CACHE_URL=redis://127.0.0.1:6379/14 \
	CELERY_VISIBILITY_TIMEOUT=5

.PHONY: run test venv services lint bench migrate content clean

venv: $(STAMP)
$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

migrate: venv
	$(PY) manage.py migrate --no-input

content: migrate
	$(PY) manage.py import_content

run: content
	$(PY) manage.py seed_demo
	@echo "Serving CareerPath on http://127.0.0.1:8000 (SQLite, Celery eager). Ctrl-C to stop."
	$(PY) manage.py runserver 127.0.0.1:8000

services:
	bash scripts/test-services.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(PY) manage.py validate_content

test: venv services lint
	$(TEST_ENV) $(VENV)/bin/pytest -v -rP

bench: venv services
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
