# Everyday tasks. `make demo` runs the product, `make test` passes the tests; both set up
# what is missing on first use (virtual environment, packages, embedded PostgreSQL).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

.PHONY: setup browser-deps demo test lint format messages graphql-schema guide-images bench bench-migrations bench-load bench-faults db-stop clean

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade "pip>=25"
	$(PY) infra/print_requirements.py dev > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -r $(VENV)/requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

# The task worker runs beside the server (imports, e-mails printed here, metrics,
# reminders) and stops with it.
demo: setup
	$(PY) manage.py migrate_all --wait 300
	$(PY) manage.py demo_setup
	@TASKS_IMMEDIATE=false $(PY) manage.py procrastinate worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	TASKS_IMMEDIATE=false $(PY) manage.py runserver 127.0.0.1:8000

# What the browser tests (tests/browser) need besides Python packages: Debian's Chromium
# (installed with apt when missing; CHROMIUM_PATH names another binary; no tool downloads a
# browser of its own) and axe-core from the npm registry (frontend/package-lock.json).
AXE := frontend/node_modules/axe-core/axe.min.js
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

browser-deps: $(AXE)
	@test -n "$$CHROMIUM_PATH" || command -v chromium >/dev/null || command -v chromium-browser >/dev/null || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq \
	    --no-install-recommends chromium fonts-dejavu-core >/dev/null; }

$(AXE): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

test: setup browser-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run -v 1
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy apps tenants platform/config

format: setup
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: setup
	$(PY) manage.py makemessages -l es --ignore=.venv --ignore=.data --no-obsolete
	$(PY) manage.py compilemessages -l es --ignore=.venv

graphql-schema: setup
	$(PY) manage.py graphql_schema --schema config.graphql.schema.schema --out schema.graphql

# The user guides' screenshots (docs/guides/img/): the guide walks in a real browser, then
# a copy of their pictures, named without the running number (tests/browser/guide_images.py).
guide-images: setup browser-deps
	rm -rf test-output/screenshots/guide-*
	$(PY) -m pytest tests/browser/test_guide_screens.py -q -p no:cacheprovider
	$(PY) tests/browser/guide_images.py

bench: setup
	$(PY) bench/onboarding/run.py

# migrate_all against migrate_schemas at 200 districts (about 10 minutes; docs/PERFORMANCE.md).
bench-migrations: setup
	$(PY) bench/migrations/run.py

# 50 simulated staff over 4 districts for 60 s against gunicorn, on a PostgreSQL cluster of
# the benchmark's own (a temporary folder, 127.0.0.1 only); exit 1 on any error.
bench-load: setup
	$(PY) bench/load/run.py

# PostgreSQL restarted under a write-heavy load: recovery time, acknowledged writes against
# rows stored (same kind of cluster); exit 1 if one is missing or the server does not recover.
bench-faults: setup
	$(PY) bench/faults/pg_restart.py

db-stop:
	@test ! -x $(PY) || $(PY) platform/config/embedded_db.py stop

clean: db-stop
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache staticfiles
