# Samverkansregistret – developer commands (GNU make).
#
#   make run            virtualenv, install, migrate, load the demo data, serve on 127.0.0.1:8000
#   make test           install test deps (+ Chromium from Debian when missing), ruff, whole suite
#   make test-postgres  the suite against DATABASE_URL (a PostgreSQL server you provide)
#   make bench          benchmarks; each prints JSON lines {"name", "value", "unit", "queries"}
#   make load-test      a bounded load test on loopback (bench/load.py; LOAD_ARGS="--clients 40 ...")
#   make lint / format  ruff check / ruff format
#
# Only a Python 3.11+ with venv, pip and make is needed; everything else is installed here.

SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
CHROMIUM ?= /usr/bin/chromium

# Never let pip ask anything or nag about its own version.
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help run demo serve migrate test test-postgres pytest chromium redis-server pg-client oidc-provider bench load-test ruff-check lint format clean

help:
	@sed -n '3,8p' Makefile | sed 's/^# \{0,1\}//'

# --- environment -------------------------------------------------------------------------------

$(PY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed (stamp files inside the venv). Some machines
# list local wheel folders in pip.conf that do not exist; drop pip's warnings about them.
PIP_NOISE := is ignored: it is neither a file nor a directory
$(VENV)/.installed-run: requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements.txt 2>&1 | { grep -v "$(PIP_NOISE)" || true; }
	@touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.txt | $(PY)
	$(PY) -m pip install -q -r requirements-test.txt 2>&1 | { grep -v "$(PIP_NOISE)" || true; }
	@touch $@ $(VENV)/.installed-run

# --- run the demo ------------------------------------------------------------------------------

# DEBUG=1: runserver serves the static files itself (whitenoise.runserver_nostatic + finders), so
# no collectstatic is needed for the demo. Production: see README ("Drift").
run: export DEBUG ?= 1
run: $(VENV)/.installed-run migrate demo serve
# Alone, too: without DEBUG the settings are production's and refuse to start without SECRET_KEY.
migrate demo serve: export DEBUG ?= 1

migrate: $(VENV)/.installed-run
	$(PY) manage.py migrate --noinput

demo: $(VENV)/.installed-run
	$(PY) manage.py load_demo

serve: $(VENV)/.installed-run
	@echo "Samverkansregistret: http://$(HOST):$(PORT)/  (stop with Ctrl+C)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# --- tests -------------------------------------------------------------------------------------

# Chromium (and a font, for readable screenshots and PDFs) from Debian's packages when missing,
# with Pango, which WeasyPrint (the introduction pack's PDF) needs. Never a browser download.
SYSTEM_PACKAGES := chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0
chromium:
	@if [ -x "$(CHROMIUM)" ] && dpkg -s $(filter-out chromium,$(SYSTEM_PACKAGES)) >/dev/null 2>&1; then \
	  echo "Chromium: $(CHROMIUM)"; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo"; fi; \
	  echo "== Installing $(SYSTEM_PACKAGES) from Debian's packages"; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) \
	    </dev/null >/dev/null; \
	else \
	  echo "Chromium is missing at $(CHROMIUM) and apt-get is not available."; \
	  if [ -n "$$CI" ]; then exit 1; fi; \
	fi

# redis-server from Debian's packages when missing: the public pages' cache is tested against a
# real Redis server (tests/register/public/test_cache.py starts and stops its own on a free port).
redis-server:
	@if command -v redis-server >/dev/null 2>&1; then \
	  echo "Redis: $$(command -v redis-server)"; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo"; fi; \
	  echo "== Installing redis-server from Debian's packages"; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server </dev/null >/dev/null; \
	else \
	  echo "redis-server is missing and apt-get is not available."; \
	  if [ -n "$$CI" ]; then exit 1; fi; \
	fi

# pg_dump and pg_restore from Debian's packages when missing: the backup test on PostgreSQL
# (tests/register/test_backup.py) runs the real tools. register/backup.py takes the newest of PATH
# and /usr/lib/postgresql/*/bin, so a server package's own tools count too.
pg-client:
	@if command -v pg_dump >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_dump >/dev/null 2>&1; then \
	  echo "pg_dump: $$(command -v pg_dump || ls /usr/lib/postgresql/*/bin/pg_dump | tail -n 1)"; \
	elif command -v apt-get >/dev/null 2>&1; then \
	  SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo"; fi; \
	  echo "== Installing postgresql-client from Debian's packages"; \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client </dev/null >/dev/null; \
	else \
	  echo "pg_dump is missing and apt-get is not available."; \
	  if [ -n "$$CI" ]; then exit 1; fi; \
	fi

# The OpenID Connect provider of the single sign-on test (npm's oidc-provider, tests/oidc/): its
# packages from the npm registry, exactly as package-lock.json says, when they are missing.
# Needs Node.js 18 or later (nodejs and npm from Debian's packages when missing).
oidc-provider:
	@if [ -d tests/oidc/node_modules/oidc-provider ]; then \
	  echo "OIDC provider: tests/oidc/node_modules"; \
	else \
	  if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
	    SUDO=""; if [ "$$(id -u)" != 0 ]; then SUDO="sudo"; fi; \
	    echo "== Installing nodejs and npm from Debian's packages"; \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm </dev/null >/dev/null; \
	  fi; \
	  if command -v npm >/dev/null 2>&1; then \
	    echo "== npm ci --prefix tests/oidc"; \
	    npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error; \
	  else \
	    echo "npm is missing: the single sign-on test will be skipped."; \
	    if [ -n "$$CI" ]; then exit 1; fi; \
	  fi; \
	fi

# Exit code 5 ("no tests collected") is a failure like any other: the suite must run tests.
pytest: $(VENV)/.installed-test
	@echo "Database: $${DATABASE_URL:-SQLite (default)}" | sed -E 's#://([^:/@]*):[^@]*@#://\1:***@#'
	@rc=0; $(BIN)/pytest $(PYTEST_ARGS) || rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing." >&2; fi; \
	exit $$rc

test: $(VENV)/.installed-test chromium redis-server oidc-provider ruff-check pytest

# Against PostgreSQL: DATABASE_URL=postgres://user:pw@host:port/name make test-postgres
# (the role needs CREATEDB; pytest-django creates and drops test_<name>). The browser flows
# (marker "browser") ran in `make test` already: what they check is the page in Chromium, not the
# database, so they are not run a second time here (BROWSER_ON_POSTGRES=1 runs them anyway).
POSTGRES_MARKERS := $(if $(BROWSER_ON_POSTGRES),,-m "not browser")
test-postgres: $(VENV)/.installed-test chromium redis-server pg-client oidc-provider
	@if [ -z "$$DATABASE_URL" ]; then echo "Set DATABASE_URL=postgres://..." >&2; exit 2; fi
	@$(MAKE) --no-print-directory pytest PYTEST_ARGS='$(POSTGRES_MARKERS) $(PYTEST_ARGS)'

# --- benchmarks --------------------------------------------------------------------------------

bench: $(VENV)/.installed-test
	$(PY) bench/pages.py
	$(PY) bench/import_excel.py
	$(PY) bench/zip_bomb.py
	$(PY) bench/briefing.py

# A bounded load test on loopback (bench/load.py): 40 clients for 60 s while an editor saves.
load-test: $(VENV)/.installed-test
	$(PY) bench/load.py $(LOAD_ARGS)

# --- code style --------------------------------------------------------------------------------

ruff-check: $(VENV)/.installed-test
	$(BIN)/ruff check .

lint: ruff-check
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles test-artifacts .pytest_cache .ruff_cache
