# Set-up and everyday tasks. `make run` and `make test` need nothing but Python 3.11.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/viona
HOST_PORT ?= 127.0.0.1:8000
WORKERS ?= 2
TEST_WORKERS ?= 2
SOURCE ?= ../shared/source/viona-capita-selecta-2015-2018.txt
VERIFY_DB := sqlite:///$(CURDIR)/var/verify-source.sqlite3

.PHONY: install run serve migrate load test test-postgres schema verify-source fuzz lint format messages screenshots clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput

load: migrate
	$(BIN)/python manage.py load_initial_data

run: load
	$(BIN)/python manage.py ensure_dev_superuser
	$(BIN)/python manage.py runserver $(HOST_PORT)

# Production: gunicorn + whitenoise; needs DJANGO_DEBUG=false, DJANGO_SECRET_KEY,
# DJANGO_ALLOWED_HOSTS and DATABASE_URL (see README).
serve: install
	$(BIN)/python manage.py check --deploy
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/gunicorn viona.wsgi --workers $(WORKERS) --bind $(HOST_PORT) --access-logfile -

test: install
	$(BIN)/pytest -q -n $(TEST_WORKERS)

test-postgres: install
	DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -q -n $(TEST_WORKERS) --create-db

schema: install
	mkdir -p var
	$(BIN)/python manage.py spectacular --validate --fail-on-warn --file var/schema.yaml

# The fixtures, loaded into a scratch database, checked against the source document.
verify-source: install
	mkdir -p var
	rm -f var/verify-source.sqlite3
	DATABASE_URL=$(VERIFY_DB) $(BIN)/python manage.py migrate --noinput -v0
	DATABASE_URL=$(VERIFY_DB) $(BIN)/python manage.py load_initial_data
	DATABASE_URL=$(VERIFY_DB) $(BIN)/python manage.py verify_source $(SOURCE)
	DATABASE_URL=$(VERIFY_DB) $(BIN)/python manage.py import_summaries $(SOURCE) --dry-run

# Schemathesis against a live server on a scratch database (see .ci/fuzz).
fuzz: install
	bash .ci/fuzz

# Screenshots of the main pages at 1400 and 390 px, in both languages: var/screenshots/.
screenshots: install
	$(BIN)/python tests/screenshots.py

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages --locale nl --ignore '.venv/*' --ignore 'var/*'
	$(BIN)/python manage.py compilemessages --locale nl --ignore '.venv/*'

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
