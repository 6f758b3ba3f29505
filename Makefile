# One command to run the service on a fresh machine (`make run`) and one to test it (`make test`).
# Install steps leave stamp files, so running them again only redoes what changed.

SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
CHROMIUM := /usr/bin/chromium
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run test lint check-deploy bench bench-smoke api-contract browser-deps check-browser

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: $(VENV)/.installed node_modules/.installed ## Create .venv, install Python and npm dependencies

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

package-lock.json:
	npm install --package-lock-only --no-audit --no-fund

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

run: install ## Set up the embedded database with demo data and start the site on 127.0.0.1:8000
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: install check-browser ## Run the whole test suite (PostgreSQL/Redis tests too when configured)
	@scripts/test.sh $(PYTEST_ARGS)

lint: install ## Ruff, the apps' import layers, and a check that no model change lacks its migration
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

check-deploy: install ## Django's deployment checks against the production settings
	@DJANGO_ENV=production DJANGO_ALLOWED_HOSTS=syslead.example.org \
	DJANGO_SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	$(PY) manage.py check --deploy --fail-level WARNING

BENCH_SERVER ?= postgres://postgres@127.0.0.1:5432
BENCH_SMOKE_DB := syslead_bench_smoke

bench: install ## Load benchmark on PostgreSQL at England scale (BENCH_DATABASE_URL); writes bench/results.*
	$(PY) bench/run.py $(BENCH_ARGS)

bench-smoke: install ## The load benchmark at 1% scale on a fresh database: every request answers, every job runs
	dropdb -h 127.0.0.1 -U postgres --if-exists --force $(BENCH_SMOKE_DB)
	createdb -h 127.0.0.1 -U postgres $(BENCH_SMOKE_DB)
	BENCH_DATABASE_URL=$(BENCH_SERVER)/$(BENCH_SMOKE_DB) $(PY) bench/run.py --smoke $(BENCH_ARGS)

api-contract: install ## schemathesis, every check, over the whole API schema for three tokens on a fresh PostgreSQL database
	@scripts/api-contract.sh

browser-deps: ## Install Debian's Chromium for the browser tests (needs root or sudo)
	@scripts/install-chromium.sh

check-browser:
	@test -x $(CHROMIUM) || { echo "Chromium is missing ($(CHROMIUM)): the browser tests need it. Run 'make browser-deps'." >&2; exit 1; }
